/**
 * Quarkus test resources that start the real Kafka broker and PostgreSQL server of the {@code engram-embedded}
 * module once per test JVM and hand their addresses to the application under test:
 *
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
 * @WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
 * class IngestFlowTest { ... }
 * }</pre>
 *
 * <p>{@code scope = GLOBAL} applies the resources to every test of the module, so Quarkus does not restart the
 * application between test classes that list different resources. The servers survive Quarkus restarts and test
 * profiles (each profile has its own class loader; the running server is handed over, same address, same data) and
 * are stopped, and their data deleted, when the JVM exits.
 */
package dev.engram.testsupport;
