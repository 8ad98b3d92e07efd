package dev.mview.flyway;

import dev.mview.flyway.internal.Declaration;
import dev.mview.flyway.internal.ViewMigrations;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A view migration's declaration, made on first use: Flyway asks for the description and checksum
 * before it runs anything, and {@code declare} must run once, after construction (never from a
 * constructor, where a subclass is not ready).
 */
final class LazyDeclaration {
  private final Class<?> migration;
  private final Consumer<Views> declare;
  private final Supplier<String> label;
  private volatile Declaration declaration;

  /**
   * @param migration the migration's class, whose simple name errors give
   * @param declare the migration's {@code declare}
   * @param label the description Flyway derives from the class name
   */
  LazyDeclaration(Class<?> migration, Consumer<Views> declare, Supplier<String> label) {
    this.migration = migration;
    this.declare = declare;
    this.label = label;
  }

  /** The declaration, made on the first call. */
  Declaration get() {
    Declaration result = declaration;
    if (result == null) {
      String name = migration.getSimpleName();
      result = ViewMigrations.declare(name, () -> {
        Views views = new Views();
        declare.accept(views);
        return views.finish(name, label.get());
      });
      declaration = result;
    }
    return result;
  }
}
