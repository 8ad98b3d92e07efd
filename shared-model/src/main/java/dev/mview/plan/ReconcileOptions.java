package dev.mview.plan;

import dev.mview.model.QualifiedName;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What {@link Reconciler} may do beyond creating and replacing the declared views. */
public final class ReconcileOptions {
  private static final ReconcileOptions DEFAULTS = builder().build();

  private final Set<QualifiedName> drops;
  private final boolean cascadeDrops;

  private ReconcileOptions(Builder builder) {
    this.drops = Collections.unmodifiableSet(new LinkedHashSet<>(builder.drops));
    this.cascadeDrops = builder.cascadeDrops;
  }

  /** Create and replace only; drop nothing. */
  public static ReconcileOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Views to drop (they must not be declared in the model). Missing ones are ignored. */
  public Set<QualifiedName> drops() {
    return drops;
  }

  /**
   * Whether views that read a dropped view are dropped too (each named in the plan). When false,
   * dropping a view others read is an error naming them.
   */
  public boolean cascadeDrops() {
    return cascadeDrops;
  }

  /** Builds {@link ReconcileOptions}. */
  public static final class Builder {
    private final Set<QualifiedName> drops = new LinkedHashSet<>();
    private boolean cascadeDrops;

    private Builder() {}

    public Builder drop(QualifiedName... views) {
      drops.addAll(List.of(views));
      return this;
    }

    public Builder drop(String... views) {
      for (String view : views) {
        drops.add(QualifiedName.parse(view));
      }
      return this;
    }

    public Builder cascadeDrops(boolean cascadeDrops) {
      this.cascadeDrops = cascadeDrops;
      return this;
    }

    public ReconcileOptions build() {
      return new ReconcileOptions(this);
    }
  }
}
