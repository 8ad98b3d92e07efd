package dev.mview.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * One privilege granted on a relation or one of its columns, as {@code aclexplode} reports it.
 *
 * @param grantee the role it is granted to, or null for {@code PUBLIC} (every role): a role that
 *     happens to be named {@code PUBLIC} is a role like any other
 * @param privilege {@code SELECT}, {@code INSERT}, ..., {@code MAINTAIN} (PostgreSQL 17+)
 * @param column the column for a column-level grant, or null for the relation
 * @param withGrantOption whether the grantee may grant it on
 * @param grantor the role recorded as having granted it
 */
public record Grant(String grantee, String privilege, String column, boolean withGrantOption, String grantor) {
  /** A grant; {@code privilege} and {@code grantor} are required. */
  public Grant {
    Objects.requireNonNull(privilege, "privilege");
    Objects.requireNonNull(grantor, "grantor");
  }

  /** Whether it is granted to every role ({@code PUBLIC}). */
  public boolean toPublic() {
    return grantee == null;
  }

  /** The column of a column-level grant; empty for the relation. */
  public Optional<String> columnName() {
    return Optional.ofNullable(column);
  }
}
