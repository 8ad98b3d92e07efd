package dev.mview.it.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.MviewException;
import dev.mview.flyway.MaterializedViewMigration;
import dev.mview.liquibase.CreateMaterializedViewChange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Runs a real {@code mvn} on a small project the way a user's build runs it. mview's jars are not
 * installed anywhere (that would overwrite the shared local repository's): the run gets a local
 * repository of its own that links to every other artifact of the usual one and holds mview's jars
 * as this build made them. It is not offline: on a fresh machine the plugins under test (and the
 * lifecycle plugins of Maven's own defaults) are not in the local repository until this run
 * fetches them.
 */
final class Maven {
  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final Map<String, Class<?>> MODULES = Map.of(
      "shared-model", MviewException.class,
      "flyway-mview", MaterializedViewMigration.class,
      "liquibase-mview", CreateMaterializedViewChange.class);
  private static final Map<String, String> ARTIFACTS = Map.of(
      "shared-model", "mview-shared-model", "flyway-mview", "mview-flyway", "liquibase-mview", "mview-liquibase");

  private final Path repository;

  private Maven(Path repository) {
    this.repository = repository;
  }

  /** A Maven whose local repository is built in {@code folder}. */
  static Maven in(Path folder) throws IOException {
    Path shared = Path.of(System.getProperty("mview.test.local.repository",
        System.getProperty("user.home") + "/.m2/repository"));
    Path repository = folder.resolve("repository");
    link(shared, repository, "dev");
    link(shared.resolve("dev"), repository.resolve("dev"), "mview");
    Path root = Path.of("..").toAbsolutePath().normalize();
    for (Map.Entry<String, Class<?>> module : MODULES.entrySet()) {
      String artifact = ARTIFACTS.get(module.getKey());
      Path target = Files.createDirectories(repository.resolve("dev/mview/" + artifact + "/" + VERSION));
      jar(codeSource(module.getValue()), target.resolve(artifact + "-" + VERSION + ".jar"));
      Files.copy(root.resolve(module.getKey()).resolve("pom.xml"), target.resolve(artifact + "-" + VERSION + ".pom"));
    }
    Path parent = Files.createDirectories(repository.resolve("dev/mview/mview-parent/" + VERSION));
    Files.copy(root.resolve("pom.xml"), parent.resolve("mview-parent-" + VERSION + ".pom"));
    return new Maven(repository);
  }

  /** A copy of the test project {@code name} (under {@code dev/mview/it/maven/}) in {@code folder}. */
  static Path project(String name, Path folder) throws IOException {
    Path source = Path.of("src/test/resources/dev/mview/it/maven").resolve(name);
    Path copy = folder.resolve(name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path to = copy.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
    return copy;
  }

  /** Runs {@code mvn -B} with {@code arguments} in {@code project}; fails with its output unless it succeeds. */
  String run(Path project, String... arguments) throws IOException, InterruptedException {
    String home = System.getProperty("mview.test.maven.home");
    List<String> command = new ArrayList<>(List.of(home == null ? "mvn" : home + "/bin/mvn", "-B",
        "-Dmaven.repo.local=" + repository, "-Dliquibase.analytics.enabled=false"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.MINUTES), "mvn did not end");
    assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
    return output;
  }

  /** Makes {@code to} a folder of links to everything in {@code from} except {@code except}. */
  private static void link(Path from, Path to, String except) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> entries = Files.list(from)) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals(except)) {
          Files.createSymbolicLink(to.resolve(entry.getFileName().toString()), entry);
        }
      }
    }
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code source} as the jar {@code target}: copied when it is one, packed when it is a classes folder. */
  private static void jar(Path source, Path target) throws IOException {
    if (Files.isRegularFile(source)) {
      Files.copy(source, target);
      return;
    }
    try (OutputStream out = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(source)) {
      files.filter(Files::isRegularFile).forEach(file -> {
        try {
          jar.putNextEntry(new JarEntry(source.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, jar);
          jar.closeEntry();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
