package dev.netspec.examples.property;

/**
 * One stage as a spec declares it: its annotations (modifiers first) and the output the
 * generator expects of it.
 */
record WrittenStage(String annotations, SpecShape output) {}
