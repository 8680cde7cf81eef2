package org.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetTarget;

import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;

/**
 * A {@link Session} on a TensorFlow server, such as {@code grpc://localhost:2222}: the C API's
 * {@code TF_SetTarget} on the session options. TensorFlow Java 1.1.0's {@code Session} always
 * opens an in-process session (its native allocation takes a target and passes none); this class
 * lives in TensorFlow's package to reach the package-private constructor that wraps a native
 * session, so the returned session is an ordinary one in every other respect.
 */
public final class TargetedSession {
  private TargetedSession() {}

  /**
   * Opens a session on {@code graph} whose runs execute on the server at {@code target}.
   *
   * @throws org.tensorflow.exceptions.TensorFlowException when TensorFlow refuses the target or
   *     the options
   */
  public static Session open(Graph graph, String target, ConfigProto config) {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(config, "config");
    try (PointerScope scope = new PointerScope(); Graph.Reference ref = graph.ref()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      TF_SetTarget(options, target);
      BytePointer bytes = new BytePointer(config.toByteArray());
      TF_SetConfig(options, bytes, bytes.capacity(), status);
      status.throwExceptionIfNotOK();
      TF_Session session = TF_Session.newSession(ref.nativeHandle(), options, status);
      status.throwExceptionIfNotOK();
      return new Session(graph, (TF_Session) session.retainReference());
    }
  }
}
