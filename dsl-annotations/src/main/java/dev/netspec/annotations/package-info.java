/**
 * The annotations a netspec network is written in.
 *
 * <p>A spec is an interface annotated {@link dev.netspec.annotations.Network @Network}. Its
 * abstract methods, in declaration order, are the stages of the network; each carries exactly one
 * stage annotation ({@link dev.netspec.annotations.Conv @Conv}, {@link
 * dev.netspec.annotations.Residual @Residual}, {@link dev.netspec.annotations.DenseBlock
 * @DenseBlock}, ...) and returns {@code Operand<TFloat32>}. The netspec annotation processor checks
 * every stage's channels, stride and spatial size at compile time and writes a class that builds
 * the network as a TensorFlow graph.
 *
 * <p>Tensors are NHWC and float32. Paddings are symmetric, as in PyTorch.
 */
package dev.netspec.annotations;
