package dev.engram.deploy.stack;

/**
 * How the services reach the shared infrastructure.
 *
 * @param kafkaBootstrapServers Kafka's bootstrap servers, e.g. {@code localhost:9092}
 * @param jdbcUrl the JDBC URL of the {@code engram} database (migrations)
 * @param reactiveUrl the reactive client URL of the same database
 * @param username the database user
 * @param password the database password
 */
public record InfraEndpoints(
        String kafkaBootstrapServers, String jdbcUrl, String reactiveUrl, String username, String password) {

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "InfraEndpoints[kafka=" + kafkaBootstrapServers + ", jdbcUrl=" + jdbcUrl + ", username=" + username
                + "]";
    }
}
