package io.github.jobmetrics.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MethodProbeTest {
    private static MethodProbe probe(String pattern) {
        return new MethodProbe(0, MethodProbe.Kind.RECORD, "main", pattern);
    }

    @Test
    void withoutAParameterListEveryOverloadOfTheNameMatches() {
        MethodProbe p = probe("com.acme.Etl#load");
        assertTrue(p.matches("load", "()V"));
        assertTrue(p.matches("load", "(Ljava/lang/String;I)J"));
        assertFalse(p.matches("loadAll", "()V"));
        assertFalse(p.hasParameters());
    }

    @Test
    void aParameterListMatchesOnlyItsOverloadWithArraysPrimitivesAndNestedClasses() {
        MethodProbe p = probe("com.acme.Etl#load(java.lang.String, int[][],com.acme.Etl$Row,long)");
        assertTrue(p.matches("load", "(Ljava/lang/String;[[ILcom/acme/Etl$Row;J)V"));
        assertFalse(p.matches("load", "(Ljava/lang/String;[[ILcom/acme/Etl$Row;)V"));
        assertFalse(p.matches("load", "(Ljava/lang/String;[ILcom/acme/Etl$Row;J)V"));
        assertEquals("records=com.acme.Etl#load(java.lang.String,int[][],com.acme.Etl$Row,long)", p.describe());
    }

    @Test
    void anEmptyParameterListMatchesOnlyTheMethodWithoutParameters() {
        MethodProbe p = probe("com.acme.Etl#load()");
        assertTrue(p.matches("load", "()Ljava/lang/Object;"));
        assertFalse(p.matches("load", "(I)V"));
        assertEquals("com.acme.Etl", p.className());
        assertEquals("load", p.methodName());
    }
}
