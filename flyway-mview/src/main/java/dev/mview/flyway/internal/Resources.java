package dev.mview.flyway.internal;

import dev.mview.MviewException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the SQL of a view from the classpath, the way Flyway finds its own migrations. */
public final class Resources {
  private Resources() {}

  /**
   * The text of the classpath resource {@code path} (for example {@code db/views/daily.sql}), read
   * with the class loader of {@code owner}, the migration that names it.
   */
  public static String read(Class<?> owner, String path) {
    String name = path.startsWith("/") ? path.substring(1) : path;
    ClassLoader loader = owner.getClassLoader() != null ? owner.getClassLoader() : ClassLoader.getSystemClassLoader();
    try (InputStream in = loader.getResourceAsStream(name)) {
      if (in == null) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, owner.getSimpleName() + " reads view SQL from classpath resource '" + name
            + "', which is not on the classpath: put the file under src/main/resources/" + name
            + " or fix the path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MviewException(MviewException.Kind.FILE, owner.getSimpleName() + " could not read classpath resource '" + name + "': "
          + e.getMessage(), e);
    }
  }
}
