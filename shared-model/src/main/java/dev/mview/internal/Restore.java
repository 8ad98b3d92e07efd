package dev.mview.internal;

import dev.mview.catalog.Catalog;
import dev.mview.catalog.Grant;
import dev.mview.catalog.LiveIndex;
import dev.mview.catalog.LiveView;
import dev.mview.internal.sql.Ddl;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The SQL that gives a new relation what the catalog shows on a live view: its indexes, comments,
 * owner, privileges (grantee, grant option and grantor, and the privileges the owner gave up) and
 * triggers. One place, so a replace (the reconciler) and a swap refresh restore the same things.
 */
public final class Restore {
  private Restore() {}

  /** The privileges a relation's owner holds by default; {@code MAINTAIN} exists from PostgreSQL 17. */
  private static final List<String> OWNER_DEFAULTS =
      List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER");

  /** Everything to create {@code live} again exactly as it is, populated as it is. */
  public static List<String> recreate(LiveView live, Catalog catalog) {
    List<String> statements = new ArrayList<>();
    statements.add(Ddl.createView(live.toDefinition()));
    statements.addAll(indexes(live, live.indexes()));
    live.commentText().ifPresent(comment -> statements.add(Ddl.comment(live.name(), live.kind(), comment)));
    statements.addAll(properties(live, live.name(), live.kind(), Set.copyOf(live.columns()), catalog));
    return statements;
  }

  /** Replays {@code indexes} of {@code live} verbatim, with their own tablespaces. */
  public static List<String> indexes(LiveView live, Collection<LiveIndex> indexes) {
    List<String> statements = new ArrayList<>();
    for (LiveIndex index : indexes) {
      statements.add(index.definition());
      index.tablespaceName().ifPresent(space -> statements.add(Ddl.alterIndexTablespace(live.name(), index.name(), space)));
    }
    return statements;
  }

  /**
   * Column comments, owner, privileges and triggers of {@code live}, for {@code target} (the view
   * created anew, possibly as the other kind, or a copy beside it) whose columns are
   * {@code columns}: what concerns a column that no longer exists is left out. The owner is set
   * only when it is not the reading role, which owns what it creates. Triggers are replayed only on
   * the view itself, as the same kind: their text names it, and materialized views have none.
   */
  public static List<String> properties(LiveView live, QualifiedName target, ViewKind targetKind, Set<String> columns,
      Catalog catalog) {
    List<String> statements = new ArrayList<>();
    live.columnComments().forEach((column, comment) -> {
      if (columns.contains(column)) {
        statements.add(Ddl.commentOnColumn(target, column, comment));
      }
    });
    statements.addAll(privileges(live, target, targetKind, columns, catalog));
    if (target.equals(live.name()) && targetKind == live.kind()) {
      statements.addAll(live.triggers());
    }
    return statements;
  }

  /**
   * The owner and the privileges of {@code live}, for {@code target}: {@code ALTER ... OWNER} when
   * the owner is not the reading role; a {@code REVOKE} of each privilege the owner gave up; and
   * each grant with its grant option, given as its grantor (under {@code SET LOCAL ROLE}) so that
   * PostgreSQL records the same grantor, grantors' own grants first. Where the reading role cannot
   * act as a grantor, the grant is given as the reading role (see {@link #grantorChanges}).
   */
  public static List<String> privileges(LiveView live, QualifiedName target, ViewKind targetKind, Set<String> columns,
      Catalog catalog) {
    List<String> statements = new ArrayList<>();
    if (!live.owner().equals(catalog.currentUser())) {
      statements.add(Ddl.alterOwner(target, targetKind, live.owner()));
    }
    if (live.ownerPrivileges() != null) {
      for (String privilege : ownerDefaults(catalog)) {
        if (!live.ownerPrivileges().contains(privilege)) {
          statements.add(Ddl.revoke(target, privilege, live.owner()));
        }
      }
    }
    for (Grant grant : inGrantOrder(live, columns)) {
      String sql = Ddl.grant(target, grant.privilege(), grant.column(), grant.grantee(), grant.withGrantOption());
      String role = roleToGrantAs(live, grant, catalog);
      if (role == null) {
        statements.add(sql);
      } else {
        statements.add(Ddl.setLocalRole(role));
        statements.add(sql);
        statements.add(Ddl.setLocalRole(catalog.currentUser()));
      }
    }
    return statements;
  }

  /**
   * One line per grant of {@code live} that {@link #privileges} cannot give in its grantor's
   * name, saying whose name it will carry instead; empty when every grantor is kept.
   */
  public static List<String> grantorChanges(LiveView live, Set<String> columns, Catalog catalog) {
    List<String> changes = new ArrayList<>();
    for (Grant grant : inGrantOrder(live, columns)) {
      String recorded = recordedGrantor(live, grant, catalog);
      if (!recorded.equals(grant.grantor())) {
        changes.add(grant.privilege() + (grant.column() == null ? "" : " (" + grant.column() + ")") + " on "
            + live.name() + " to " + (grant.toPublic() ? "PUBLIC" : grant.grantee()) + " will be recorded as granted by "
            + recorded + ", not " + grant.grantor() + " (mview cannot act as " + grant.grantor() + ")");
      }
    }
    return changes;
  }

  /**
   * The role to {@code SET LOCAL ROLE} to so that PostgreSQL records {@code grant}'s grantor, or
   * null to grant as the reading role. A superuser's or the owner's grant is recorded as the
   * owner's; anyone else's as their own.
   */
  private static String roleToGrantAs(LiveView live, Grant grant, Catalog catalog) {
    String grantor = grant.grantor();
    boolean recordsOwner = catalog.superuser() || catalog.currentUser().equals(live.owner());
    if (grantor.equals(live.owner())) {
      return recordsOwner || !catalog.canActAs(grantor) ? null : grantor;
    }
    if (grantor.equals(catalog.currentUser()) && !catalog.superuser()) {
      return null;
    }
    return catalog.canActAs(grantor) ? grantor : null;
  }

  /** The grantor PostgreSQL will record for {@code grant} as {@link #privileges} gives it. */
  private static String recordedGrantor(LiveView live, Grant grant, Catalog catalog) {
    String role = roleToGrantAs(live, grant, catalog);
    String actor = role != null ? role : catalog.currentUser();
    return catalog.superuser() && role == null || actor.equals(live.owner()) ? live.owner() : actor;
  }

  /**
   * The grants that concern {@code columns}, each after the grant that gave its grantor the
   * grant option (a grantor other than the owner must hold it before granting on).
   */
  private static List<Grant> inGrantOrder(LiveView live, Set<String> columns) {
    List<Grant> remaining = new ArrayList<>();
    for (Grant grant : live.grants()) {
      if (grant.column() == null || columns.contains(grant.column())) {
        remaining.add(grant);
      }
    }
    List<Grant> ordered = new ArrayList<>();
    Set<List<String>> holders = new HashSet<>();
    while (!remaining.isEmpty()) {
      boolean progress = false;
      for (Grant grant : new ArrayList<>(remaining)) {
        if (grant.grantor().equals(live.owner()) || holds(holders, grant)) {
          ordered.add(grant);
          remaining.remove(grant);
          if (grant.withGrantOption() && !grant.toPublic()) {
            holders.add(key(grant.grantee(), grant.privilege(), grant.column()));
          }
          progress = true;
        }
      }
      if (!progress) {
        ordered.addAll(remaining); // a chain the catalog cannot show as complete: keep its order
        break;
      }
    }
    return ordered;
  }

  private static boolean holds(Set<List<String>> holders, Grant grant) {
    return holders.contains(key(grant.grantor(), grant.privilege(), null))
        || (grant.column() != null && holders.contains(key(grant.grantor(), grant.privilege(), grant.column())));
  }

  private static List<String> key(String role, String privilege, String column) {
    return java.util.Arrays.asList(role, privilege, Objects.requireNonNullElse(column, ""));
  }

  private static Set<String> ownerDefaults(Catalog catalog) {
    Set<String> defaults = new LinkedHashSet<>(OWNER_DEFAULTS);
    if (catalog.serverMajorVersion() >= 17) {
      defaults.add("MAINTAIN");
    }
    return defaults;
  }
}
