package dev.mview.it.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java, SQL and changelog (XML, YAML, JSON) block of the README must stand, line for line
 * (indentation aside), in a source file of the build: the examples are copied from code that
 * compiles and runs in the tests, and this test notices when either side changes alone. A block may
 * leave parts out: a line {@code ...} (or {@code // ...}, {@code -- ...}, {@code # ...},
 * {@code <!-- ... -->}) and a {@code package} line (the README names the user's package) split it
 * into pieces that must appear in that order in one file. Build-file snippets (Maven dependencies),
 * shell commands and program output ({@code text} blocks) are not checked.
 */
class ReadmeCodeTest {
  private static final Pattern BLOCK = Pattern.compile("```(java|sql|xml|yaml|json)\\n(.*?)```", Pattern.DOTALL);
  private static final Set<String> SOURCE_ENDINGS = Set.of(".java", ".sql", ".xml", ".yaml", ".yml", ".json");

  @Test
  void everyCodeBlockOfTheReadmeStandsInATestedSource() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String readme = Files.readString(root.resolve("README.md"));
    List<String> sources = sources(root);
    List<String> missing = new ArrayList<>();
    Matcher block = BLOCK.matcher(readme);
    int checked = 0;
    while (block.find()) {
      if (isBuildFile(block.group(2))) {
        continue;
      }
      checked++;
      List<String> pieces = pieces(block.group(2));
      if (sources.stream().noneMatch(source -> containsInOrder(source, pieces))) {
        missing.add(block.group(2));
      }
    }
    assertTrue(checked >= 10, "the README should hold the examples: only " + checked + " blocks found");
    assertTrue(missing.isEmpty(), "README blocks found in no source file:\n" + String.join("\n----\n", missing));
  }

  private static final Set<String> ELISIONS = Set.of("...", "// ...", "-- ...", "# ...", "<!-- ... -->");

  /** The block cut at elision and package lines, each piece normalized. */
  private static List<String> pieces(String block) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (String line : block.split("\n")) {
      String stripped = line.strip();
      if (ELISIONS.contains(stripped) || stripped.startsWith("package ")) {
        pieces.add(normalize(piece.toString()));
        piece.setLength(0);
      } else {
        piece.append(line).append('\n');
      }
    }
    pieces.add(normalize(piece.toString()));
    pieces.removeIf(text -> text.isBlank());
    return pieces;
  }

  private static boolean containsInOrder(String source, List<String> pieces) {
    int from = 0;
    for (String piece : pieces) {
      int at = source.indexOf(piece, from);
      if (at < 0) {
        return false;
      }
      from = at + piece.length() - 1;
    }
    return true;
  }

  private static boolean isBuildFile(String block) {
    String first = block.strip();
    return first.startsWith("<dependency>") || first.startsWith("<plugin>");
  }

  private static List<String> sources(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .filter(file -> file.toString().contains("/src/") && !file.toString().contains("/target/"))
          .filter(file -> SOURCE_ENDINGS.stream().anyMatch(file.toString()::endsWith))
          .map(ReadmeCodeTest::read)
          .map(ReadmeCodeTest::normalize)
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines stripped of surrounding white space, blank lines dropped. */
  private static String normalize(String text) {
    StringBuilder normalized = new StringBuilder("\n");
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        normalized.append(line.strip()).append('\n');
      }
    }
    return normalized.toString();
  }
}
