package dev.mview.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mview.flyway.internal.JournalEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UndoScriptsTest {

  @Test
  void fileNameIsTheVersionAndTheClassDerivedDescription() {
    JournalEntry entry = new JournalEntry(4L, "3.1", "Sales views: create or replace a.b", "Sales views (v2)", 17, List.of(), null);

    assertEquals("U3.1__Sales_views_v2_.sql", UndoScripts.fileName(entry));
  }

  @Test
  void commandLineTakesNamedOptions() {
    Map<String, String> options = UndoScripts.parse(new String[] {"--url=jdbc:postgresql://localhost/shop",
        "--user=shop", "--output=out", "--table=history"}, System.err);

    assertEquals(Map.of("url", "jdbc:postgresql://localhost/shop", "user", "shop", "output", "out", "table", "history"),
        options);
  }

  @Test
  void commandLineRefusesUnknownOptionsAndSaysHowToCallIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    assertNull(UndoScripts.parse(new String[] {"--url=x", "--usr=shop"}, new PrintStream(err, true, StandardCharsets.UTF_8)));
    assertEquals("unknown argument '--usr=shop'\nusage: java dev.mview.flyway.UndoScripts --url=<jdbc url>"
        + " --user=<user> [--password=<password>] --output=<directory> [--schema=<flyway schema>]"
        + " [--table=<flyway history table>]\n", err.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }
}
