package dev.netspec.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Scales each image's flat features to unit L2 norm, {@code x / max(‖x‖₂, 1e-12)} as PyTorch's
 * {@code F.normalize}: the last stage of an embedding network (face recognition, retrieval), so
 * that a dot product of two outputs is their cosine similarity. No parameters; shape unchanged.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Normalize {}
