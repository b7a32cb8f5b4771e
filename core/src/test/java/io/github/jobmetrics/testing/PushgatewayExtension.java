package io.github.jobmetrics.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Pushgateway per test class: {@code @RegisterExtension static final PushgatewayExtension GATEWAY = new
 * PushgatewayExtension();} then {@code GATEWAY.get()} in the tests.
 */
public final class PushgatewayExtension implements BeforeAllCallback, AfterAllCallback {
    private PushgatewayProcess gateway;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        gateway = PushgatewayProcess.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** The running gateway. */
    public PushgatewayProcess get() {
        if (gateway == null) {
            throw new IllegalStateException("register this extension as a static field with @RegisterExtension");
        }
        return gateway;
    }
}
