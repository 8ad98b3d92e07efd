package dev.mview.liquibase.internal;

import liquibase.parser.LiquibaseParser;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.LiquibaseSerializer;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;

/**
 * Tells Liquibase the prefix and schema location of the mview XML namespace, so that changelogs it
 * writes (for example {@code generate-changelog}) carry {@code mview:} elements with the right
 * {@code xsi:schemaLocation}. Registered in {@code META-INF/services/liquibase.parser.NamespaceDetails}.
 */
public final class MviewNamespaceDetails implements NamespaceDetails {
  /** The XML namespace of the mview change types. */
  public static final String NAMESPACE = "http://mview.dev/xml/ns/mview";

  /** Where the XSD is published; Liquibase finds it on the classpath at {@code mview.dev/xml/ns/mview/mview-1.0.xsd}. */
  public static final String SCHEMA_URL = "http://mview.dev/xml/ns/mview/mview-1.0.xsd";

  private static final String SHORT_NAME = "mview";

  /** Used by Liquibase's service loader. */
  public MviewNamespaceDetails() {
    // nothing to set up
  }

  @Override
  public int getPriority() {
    return PRIORITY_EXTENSION;
  }

  @Override
  public boolean supports(LiquibaseSerializer serializer, String namespace) {
    return serializer instanceof XMLChangeLogSerializer && NAMESPACE.equals(namespace);
  }

  @Override
  public boolean supports(LiquibaseParser parser, String namespace) {
    return parser instanceof XMLChangeLogSAXParser && NAMESPACE.equals(namespace);
  }

  @Override
  public String getShortName(String namespace) {
    return SHORT_NAME;
  }

  @Override
  public String getSchemaUrl(String namespace) {
    return SCHEMA_URL;
  }

  @Override
  public String[] getNamespaces() {
    return new String[] {NAMESPACE};
  }
}
