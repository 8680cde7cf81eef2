package dev.netspec.processor.model;

/** A stage placed in its network: its input and output shapes and its cost. */
public record StageModel(String name, Stage stage, TensorShape input, TensorShape output, Cost cost) {

  /**
   * The factor by which this stage downsamples its input, from the stage's own shape arithmetic:
   * its output's stride over its input's. 1 where it keeps the size; 0 where its output is flat.
   */
  public int stride() {
    return output.flat() ? 0 : output.stride() / input.stride();
  }
}
