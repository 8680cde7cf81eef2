package dev.netspec.runtime;

/**
 * A feature map a network yields, as a neck (FPN, a decoder) needs to know it: the stage that
 * yields it, its channels and its total stride. Generated networks list theirs in {@code
 * FEATURES}, computed from the spec, so the description cannot drift from the network.
 */
public record FeatureInfo(String stage, int channels, int stride) {}
