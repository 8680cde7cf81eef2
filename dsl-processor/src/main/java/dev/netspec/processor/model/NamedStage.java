package dev.netspec.processor.model;

/** A stage with the name of its method. */
public record NamedStage(String name, Stage stage) {}
