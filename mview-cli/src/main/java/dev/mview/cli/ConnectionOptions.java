package dev.mview.cli;

import dev.mview.MviewException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * Where to connect: flags first, then the environment variables {@code psql} reads
 * ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}), then
 * its defaults. The password comes from {@code --password-file}, {@code PGPASSWORD} or a prompt
 * ({@code -W}); it is never printed.
 */
final class ConnectionOptions {
  private final Map<String, String> env;

  @Option(names = "--url", paramLabel = "JDBC-URL",
      description = "jdbc:postgresql://host:port/database (instead of --host, --port and --dbname)")
  private String url;

  @Option(names = {"-h", "--host"}, paramLabel = "HOST", description = "server host (default: $PGHOST, else localhost)")
  private String host;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "server port (default: $PGPORT, else 5432)")
  private Integer port;

  @Option(names = {"-d", "--dbname"}, paramLabel = "DATABASE",
      description = "database (default: $PGDATABASE, else the user name)")
  private String database;

  @Option(names = {"-U", "--user"}, paramLabel = "USER", description = "user (default: $PGUSER, else your login name)")
  private String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "a file whose first line is the password (default: $PGPASSWORD)")
  private Path passwordFile;

  @Option(names = {"-W", "--password"}, description = "prompt for the password")
  private boolean prompt;

  ConnectionOptions(Map<String, String> env) {
    this.env = env;
  }

  /** A new connection, auto-commit on. */
  Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    String password = password();
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", "mview");
    return DriverManager.getConnection(url(), properties);
  }

  /** Connections like {@link #connect()}, for the parallel runner. */
  DataSource dataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url());
    dataSource.setUser(user());
    dataSource.setPassword(password());
    dataSource.setApplicationName("mview");
    return dataSource;
  }

  private String url() {
    if (url != null) {
      return url;
    }
    String hostName = first(host, env.get("PGHOST"), "localhost");
    String portNumber = first(port == null ? null : port.toString(), env.get("PGPORT"), "5432");
    String name = first(database, env.get("PGDATABASE"), user());
    return "jdbc:postgresql://" + (hostName.contains(":") ? "[" + hostName + "]" : hostName) + ":" + portNumber + "/"
        + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String user() {
    return first(user, env.get("PGUSER"), System.getProperty("user.name"));
  }

  private String password() {
    if (passwordFile != null) {
      try {
        return Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream().findFirst().orElse("");
      } catch (IOException e) {
        throw new MviewException(MviewException.Kind.FILE, "cannot read the password file " + passwordFile + ": " + e);
      }
    }
    if (prompt) {
      Console console = System.console();
      if (console == null) {
        throw new MviewException(MviewException.Kind.INVALID_DECLARATION, "-W needs a terminal to prompt on;"
            + " use --password-file or PGPASSWORD");
      }
      char[] typed = console.readPassword("Password for %s: ", user());
      return typed == null ? null : new String(typed);
    }
    return env.get("PGPASSWORD");
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }
}
