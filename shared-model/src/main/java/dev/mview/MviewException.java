package dev.mview;

/**
 * The one unchecked exception mview throws. Its message names the view (and, where known, the
 * migration or changeset), says what went wrong and what to do. Front ends wrap it into their host
 * tool's exception at the boundary, keeping it as the cause.
 */
public class MviewException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MviewException(String message) {
    super(message);
  }

  public MviewException(String message, Throwable cause) {
    super(message, cause);
  }
}
