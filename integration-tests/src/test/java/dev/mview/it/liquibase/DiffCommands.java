package dev.mview.it.liquibase;

import dev.mview.it.support.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.command.CommandScope;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * Liquibase's commands that read databases rather than changelogs — {@code snapshot},
 * {@code generate-changelog}, {@code diff}, {@code diff-changelog}, {@code drop-all} — run through
 * {@link CommandScope} by URL, as a user's tooling runs them.
 */
final class DiffCommands {
  static {
    System.setProperty("liquibase.analytics.enabled", "false");
  }

  private DiffCommands() {}

  /** {@code snapshot} of {@code db} in {@code format} ({@code txt}, {@code json} or {@code yaml}). */
  static String snapshot(TestDatabase db, String format) throws Exception {
    return run(command("snapshot", db).addArgumentValue("snapshotFormat", format));
  }

  /** {@code generate-changelog} of {@code db} into {@code file}, whose extension picks the format. */
  static void generateChangelog(TestDatabase db, Path file) throws Exception {
    run(command("generateChangelog", db).addArgumentValue("changelogFile", file.toString()));
  }

  /** {@code diff}: what {@code target} lacks, has too much of, or has otherwise than {@code reference}. */
  static String diff(TestDatabase reference, TestDatabase target) throws Exception {
    return run(referenced(command("diff", target), reference));
  }

  /** {@code diff-changelog} into {@code file}: the changes that make {@code target} like {@code reference}. */
  static void diffChangelog(TestDatabase reference, TestDatabase target, Path file) throws Exception {
    run(referenced(command("diffChangelog", target), reference).addArgumentValue("changelogFile", file.toString()));
  }

  /** {@code drop-all} on {@code db}. */
  static void dropAll(TestDatabase db) throws Exception {
    run(command("dropAll", db));
  }

  /** {@code update} of {@code db} from the changelog {@code file}, found beside the class path. */
  static void update(TestDatabase db, Path file) throws Exception {
    CommandScope update = command("update", db).addArgumentValue("changelogFile", file.getFileName().toString());
    Scope.child(Scope.Attr.resourceAccessor.name(), beside(file), () -> run(update));
  }

  /** Every change of the changelog {@code file}, changeset by changeset, as Liquibase parses it. */
  static List<List<Change>> changes(Path file) throws Exception {
    ResourceAccessor files = beside(file);
    String name = file.getFileName().toString();
    DatabaseChangeLog changelog = Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), files),
        () -> ChangeLogParserFactory.getInstance().getParser(name, files).parse(name, new ChangeLogParameters(), files));
    List<List<Change>> changes = new ArrayList<>();
    changelog.getChangeSets().forEach(changeSet -> changes.add(changeSet.getChanges()));
    return changes;
  }

  private static ResourceAccessor beside(Path file) throws Exception {
    return new CompositeResourceAccessor(new DirectoryResourceAccessor(file.getParent()), new ClassLoaderResourceAccessor());
  }

  private static CommandScope command(String name, TestDatabase db) throws Exception {
    CommandScope scope = new CommandScope(name)
        .addArgumentValue("url", db.jdbcUrl())
        .addArgumentValue("username", db.user());
    if (db.password() != null) {
      scope.addArgumentValue("password", db.password());
    }
    return scope;
  }

  private static CommandScope referenced(CommandScope scope, TestDatabase reference) {
    scope.addArgumentValue("referenceUrl", reference.jdbcUrl()).addArgumentValue("referenceUsername", reference.user());
    if (reference.password() != null) {
      scope.addArgumentValue("referencePassword", reference.password());
    }
    return scope;
  }

  private static String run(CommandScope scope) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    scope.setOutput(out);
    scope.execute();
    return out.toString(StandardCharsets.UTF_8);
  }
}
