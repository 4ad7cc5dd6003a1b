package dev.engram.writer.auth;

import dev.engram.core.auth.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, set by {@code ApiKeyFilter} before any resource runs. */
@RequestScoped
public class RequestCaller {

    private Caller caller;

    /** The authenticated caller. */
    public Caller get() {
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this request");
        }
        return caller;
    }

    /** Called once per request by the filter. */
    public void set(Caller caller) {
        this.caller = caller;
    }
}
