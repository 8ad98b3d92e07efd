package dev.mview.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * One privilege granted on a relation or one of its columns, as {@code aclexplode} reports it.
 *
 * @param grantee the role name, or {@code PUBLIC}
 * @param privilege {@code SELECT}, {@code INSERT}, ..., {@code MAINTAIN} (PostgreSQL 17+)
 * @param column the column for a column-level grant, or null for the relation
 * @param withGrantOption whether the grantee may grant it on
 */
public record Grant(String grantee, String privilege, String column, boolean withGrantOption) {
  /** The grantee that stands for every role. */
  public static final String PUBLIC = "PUBLIC";

  public Grant {
    Objects.requireNonNull(grantee, "grantee");
    Objects.requireNonNull(privilege, "privilege");
  }

  /** The column of a column-level grant; empty for the relation. */
  public Optional<String> columnName() {
    return Optional.ofNullable(column);
  }
}
