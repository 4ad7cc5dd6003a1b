package dev.engram.deploy.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes (shell scripts) standing in for services. */
class ProcessSupervisorTest {

    @TempDir
    Path dir;

    @Test
    void stopsAServiceWithSigtermAndRemovesItsPidFile() throws Exception {
        ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), Duration.ofSeconds(10));
        ServiceProcess process = supervisor.start(command("ingest-service", "echo started; exec sleep 60"));
        Path pidFile = dir.resolve("run/ingest-service.pid");
        assertThat(pidFile).hasContent(Long.toString(process.pid()));

        long start = System.nanoTime();
        supervisor.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(pidFile).doesNotExist();
        assertThat(Files.readString(dir.resolve("ingest-service.log"))).contains("started");
    }

    @Test
    void killsAServiceThatIgnoresSigtermOnceTheGracePeriodIsOver() throws Exception {
        ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), Duration.ofMillis(500));
        ServiceProcess stubborn =
                supervisor.start(command("router-service", "trap '' TERM; echo ready; while true; do sleep 0.1; done"));
        awaitLogLine(stubborn, "ready");

        supervisor.close();

        assertThat(stubborn.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void stopsAllServicesSideBySide() throws Exception {
        ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), Duration.ofSeconds(10));
        String slowToStop = "trap 'sleep 1; exit 0' TERM; echo ready; while true; do sleep 0.1; done";
        List<ServiceProcess> services = List.of(
                supervisor.start(command("ingest-service", slowToStop)),
                supervisor.start(command("search-service", slowToStop)),
                supervisor.start(command("memory-writer", slowToStop)));
        for (ServiceProcess service : services) {
            awaitLogLine(service, "ready");
        }

        long start = System.nanoTime();
        supervisor.close();

        assertThat(services).noneMatch(ServiceProcess::isAlive);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void noticesAServiceThatExitsOnItsOwn() throws Exception {
        ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), Duration.ofSeconds(5));
        ServiceProcess crashing = supervisor.start(command("memory-writer", "echo boom; exit 3"));

        crashing.onExit().get(5, TimeUnit.SECONDS);

        assertThat(supervisor.firstExited()).containsSame(crashing);
        assertThat(crashing.exitValue()).isEqualTo(3);
        supervisor.close();
    }

    @Test
    void refusesToStartAServiceOnceStopping() throws Exception {
        ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), Duration.ofSeconds(5));
        supervisor.close();

        assertThatThrownBy(() -> supervisor.start(command("search-service", "sleep 60")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToStartAServiceThatIsNotBuilt() {
        ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), Duration.ofSeconds(5));
        ServiceCommand unbuilt = new ServiceCommand(
                new ServiceSpec("search-service", 8082),
                dir.resolve("missing.jar"),
                List.of("sleep", "60"),
                Map.of(),
                dir,
                dir.resolve("search-service.log"));

        assertThatThrownBy(() -> supervisor.start(unbuilt))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("search-service is not built");
    }

    private ServiceCommand command(String name, String script) throws IOException {
        Path jar = Files.writeString(dir.resolve(name + ".jar"), "");
        return new ServiceCommand(
                new ServiceSpec(name, 8081),
                jar,
                List.of("/bin/sh", "-c", script),
                Map.of(),
                dir,
                dir.resolve(name + ".log"));
    }

    private static void awaitLogLine(ServiceProcess process, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (Files.exists(process.logFile())
                    && Files.readString(process.logFile()).contains(line)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("No '" + line + "' in " + process.logFile());
    }
}
