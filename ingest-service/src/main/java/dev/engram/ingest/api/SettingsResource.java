package dev.engram.ingest.api;

import dev.engram.core.auth.Caller;
import dev.engram.ingest.auth.RequestCaller;
import dev.engram.ingest.settings.OrgSettings;
import dev.engram.ingest.settings.SettingsFields;
import dev.engram.ingest.settings.SettingsStore;
import dev.engram.ingest.settings.SettingsWarnings;
import dev.engram.ingest.settings.WriterCapabilities;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET/PATCH /v3/settings}: the caller's organisation's settings (SDK {@code client.settings}). Admin keys
 * only. Settings that change nothing in Engram are stored and answered, with a {@code warnings} entry saying so.
 */
@Path("/v3/settings")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    @Inject
    SettingsStore store;

    @Inject
    WriterCapabilities capabilities;

    @Inject
    RequestCaller requestCaller;

    /** Every setting (secrets masked), plus {@code warnings} when some have no effect. */
    @GET
    public Uni<Map<String, Object>> get() {
        Caller caller = requestCaller.get();
        caller.checkAdmin("read the organisation's settings");
        return store.get(caller.orgId())
                .flatMap(settings -> capabilities.llmFilter().map(llm -> {
                    Map<String, Object> body = SettingsFields.answer(settings);
                    withWarnings(body, settings, llm);
                    return body;
                }));
    }

    /**
     * Changes the settings the body names ({@code null}: back to the default); answers {@code {orgId, orgSlug,
     * updated}} with only the fields whose value changed, plus {@code warnings} when some settings have no effect. A
     * body with any bad field is refused whole (400 naming it).
     */
    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> update(Map<String, Object> body) {
        Caller caller = requestCaller.get();
        caller.checkAdmin("change the organisation's settings");
        Map<String, Object> changes = SettingsFields.changes(body);
        return store.update(caller.orgId(), changes)
                .flatMap(change -> store.slug(caller.orgId())
                        .flatMap(slug -> capabilities.llmFilter().map(llm -> {
                            Map<String, Object> answer = new LinkedHashMap<>();
                            answer.put("orgId", caller.orgId());
                            answer.put("orgSlug", slug);
                            answer.put("updated", SettingsFields.changed(change.before(), change.after()));
                            withWarnings(answer, change.after(), llm);
                            return answer;
                        })));
    }

    private static void withWarnings(
            Map<String, Object> body, OrgSettings settings, WriterCapabilities.Capability llmFilter) {
        List<String> warnings = SettingsWarnings.of(settings, llmFilter);
        if (!warnings.isEmpty()) {
            body.put("warnings", warnings);
        }
    }
}
