package dev.netspec.processor.model;

/** A stage placed in its network: its input and output shapes and its cost. */
public record StageModel(String name, Stage stage, TensorShape input, TensorShape output, Cost cost) {}
