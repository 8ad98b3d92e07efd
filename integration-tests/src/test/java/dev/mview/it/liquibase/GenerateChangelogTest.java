package dev.mview.it.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mview.it.support.PostgresExtension;
import dev.mview.it.support.SiblingDatabase;
import dev.mview.it.support.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code generate-changelog} of a database with materialized views, applied with {@code update} to
 * an empty database, recreates the same schema, in each changelog format. Liquibase visits views
 * with quotes in their names last; without mview's ordering the plain views that read them come
 * first and the changelog fails.
 */
@ExtendWith(PostgresExtension.class)
class GenerateChangelogTest {
  private static final String EXCERPT;

  static {
    try (InputStream in = GenerateChangelogTest.class.getResourceAsStream("/dev/mview/it/liquibase/diff/generated-excerpt.xml")) {
      EXCERPT = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void schema(TestDatabase db) {
    ViewsAroundTables.create(db, "amount < 1000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xml", "yaml", "json"})
  void theGeneratedChangelogRecreatesTheSchemaInAnEmptyDatabase(String format, TestDatabase db, @TempDir Path dir)
      throws Exception {
    Path changelog = dir.resolve("changelog." + format);
    DiffCommands.generateChangelog(db, changelog);

    try (SiblingDatabase empty = SiblingDatabase.beside(db, "from_" + format)) {
      DiffCommands.update(empty.db(), changelog);

      assertEquals(ViewsAroundTables.catalog(db), ViewsAroundTables.catalog(empty.db()));
      assertEquals(List.of(ViewsAroundTables.CUSTOMER_TOTALS, ViewsAroundTables.TOP_WEEKS, "best_weeks", "daily",
          "lonely", "weekly"), ViewsAroundTables.materializedViews(empty.db()));
    }
  }

  @Test
  void xmlUsesMviewsNamespaceAndItsChangesWhereTheyFit(TestDatabase db, @TempDir Path dir) throws Exception {
    Path changelog = dir.resolve("changelog.xml");
    DiffCommands.generateChangelog(db, changelog);

    String xml = ViewsAroundTables.likePg16(db, Files.readString(changelog));
    assertTrue(xml.contains("xmlns:mview=\"http://mview.dev/xml/ns/mview\""), xml);
    assertTrue(xml.contains("http://mview.dev/xml/ns/mview http://mview.dev/xml/ns/mview/mview-1.0.xsd"), xml);
    // The README's excerpt, in this order: a unique index uniqueKey creates exactly (its name, plain
    // columns) is the uniqueKey, other indexes and options are SQL, a plain view comes after the views it reads.
    int from = 0;
    for (String piece : EXCERPT.split("<!-- \\.\\.\\. -->\n")) {
      int at = xml.indexOf(piece.strip(), from);
      assertTrue(at >= 0, "not found after position " + from + ": " + piece + "\nin:\n" + xml);
      from = at + piece.strip().length();
    }
  }
}
