package dev.mview.flyway.internal;

import dev.mview.MviewException;
import dev.mview.model.QualifiedName;
import dev.mview.model.ViewDefinition;
import dev.mview.model.ViewModel;
import dev.mview.plan.TableChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.StringJoiner;

/**
 * What one view migration declared: its label (the description Flyway derives from the class
 * name), the model of views it declares, the views it drops and the table change it makes.
 *
 * @param label the class-derived description, such as {@code Sales views}
 * @param model the declared views
 * @param drops the views declared dropped, in declaration order
 * @param tableChange the statements that change tables, or null
 */
public record Declaration(String label, ViewModel model, List<QualifiedName> drops, TableChange tableChange) {
  /** Flyway keeps at most this many characters of a description. */
  static final int MAX_DESCRIPTION = 200;

  public Declaration {
    drops = List.copyOf(drops);
  }

  /**
   * The description of a versioned view migration: its label and what it does, for
   * {@code flyway info}, cut to what Flyway keeps:
   * {@code Sales views: create or replace analytics.daily, analytics.weekly; drop analytics.old}.
   */
  public String describe() {
    StringJoiner parts = new StringJoiner("; ");
    if (!model.isEmpty()) {
      parts.add("create or replace " + names(model.createOrder().stream().map(ViewDefinition::name).toList()));
    }
    if (!drops.isEmpty()) {
      parts.add("drop " + names(drops));
    }
    if (tableChange != null) {
      int count = tableChange.statements().size();
      parts.add("change tables (" + count + (count == 1 ? " statement)" : " statements)"));
    }
    String text = parts.length() == 0 ? label + ": no views" : label + ": " + parts;
    return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 3) + "...";
  }

  /**
   * A checksum of everything declared plus {@code options} (the refresh settings of a repeatable
   * migration, empty for a versioned one): equal exactly when the declaration is.
   */
  public int checksum(String options) {
    String canonical = model.fingerprint() + "\0drops " + drops + "\0options " + options
        + (tableChange == null ? "" : "\0tables " + tableChange.statements() + "\0reverse " + tableChange.reverse()
            + "\0relations " + tableChange.relations());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new MviewException(MviewException.Kind.INTERNAL, "every Java platform has SHA-256", e);
    }
  }

  private static String names(List<QualifiedName> names) {
    StringJoiner joined = new StringJoiner(", ");
    names.forEach(name -> joined.add(name.toString()));
    return joined.toString();
  }
}
