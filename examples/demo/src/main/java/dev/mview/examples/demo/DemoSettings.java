package dev.mview.examples.demo;

/**
 * Where the demo runs: {@code --jdbc-url=...}, {@code --user=...}, {@code --password=...}, or the
 * environment variables {@code MVIEW_DEMO_JDBC_URL}, {@code MVIEW_DEMO_USER},
 * {@code MVIEW_DEMO_PASSWORD}; with neither, on an embedded PostgreSQL.
 */
record DemoSettings(String jdbcUrl, String user, String password) {

  static DemoSettings parse(String[] args) {
    String url = System.getenv("MVIEW_DEMO_JDBC_URL");
    String user = System.getenv("MVIEW_DEMO_USER");
    String password = System.getenv("MVIEW_DEMO_PASSWORD");
    for (String arg : args) {
      if (arg.isBlank()) {
        continue;
      } else if (arg.startsWith("--jdbc-url=")) {
        url = arg.substring("--jdbc-url=".length());
      } else if (arg.startsWith("--user=")) {
        user = arg.substring("--user=".length());
      } else if (arg.startsWith("--password=")) {
        password = arg.substring("--password=".length());
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "': expected --jdbc-url=jdbc:postgresql://host/db,"
            + " --user=name, --password=secret, or none for an embedded PostgreSQL");
      }
    }
    return new DemoSettings(blankToNull(url), blankToNull(user), blankToNull(password));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
