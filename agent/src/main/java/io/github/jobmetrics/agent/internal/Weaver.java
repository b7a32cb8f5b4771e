package io.github.jobmetrics.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Adds the probes' advice to a class's bytes with Byte Buddy. The only class of the agent that touches Byte
 * Buddy's weaving API, so Byte Buddy is loaded only when a pattern is configured.
 *
 * <p>The class keeps its shape (no new fields or methods), as retransforming an already loaded class requires.
 */
final class Weaver {
    /** Tells which probe found a method in the class (true) or none (false). */
    interface Found {
        void accept(int id, boolean found);
    }

    private final ByteBuddy byteBuddy;
    private final AsmVisitorWrapper.ForDeclaredMethods[] advice;

    private Weaver(List<MethodProbe> probes) {
        this.byteBuddy = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(InstrumentedType.Factory.Default.FROZEN)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
        this.advice = new AsmVisitorWrapper.ForDeclaredMethods[probes.size()];
        for (MethodProbe p : probes) {
            Class<?> adviceClass = p.kind() == MethodProbe.Kind.RECORD ? RecordAdvice.class
                    : p.kind() == MethodProbe.Kind.INPUT ? InputAdvice.class : OutputAdvice.class;
            advice[p.id()] = Advice.withCustomMapping().bind(ProbeId.class, p.id()).to(adviceClass)
                    .on(methods(p));
        }
    }

    /**
     * Makes the weaver and weaves one small class of ours, thrown away: that loads most of Byte Buddy here, on
     * the background thread, rather than when the job's first named class loads.
     */
    static Weaver create(List<MethodProbe> probes) {
        Weaver weaver = new Weaver(probes);
        String warmUp = WarmUp.class.getName().replace('.', '/');
        try (java.io.InputStream in = Weaver.class.getClassLoader().getResourceAsStream(warmUp + ".class")) {
            if (in != null) {
                MethodProbe probe = new MethodProbe(0, MethodProbe.Kind.RECORD, "main", WarmUp.class.getName() + "#run");
                AsmVisitorWrapper.ForDeclaredMethods advice = Advice.withCustomMapping().bind(ProbeId.class, 0)
                        .to(RecordAdvice.class).on(methods(probe));
                weaver.weave(Weaver.class.getClassLoader(), warmUp, in.readAllBytes(), List.of(probe),
                        (id, found) -> { }, advice);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Only a warm-up: the real weaving reports its own problems.
        }
        return weaver;
    }

    /** What the warm-up weaves; never loaded. */
    static final class WarmUp {
        private WarmUp() {
        }

        void run() {
        }
    }

    private static ElementMatcher.Junction<MethodDescription> methods(MethodProbe p) {
        // Bridges are synthetic: a generic override's bridge calls the real method, which is counted already.
        return named(p.methodName()).and(not(isAbstract())).and(not(isNative())).and(not(isSynthetic()));
    }

    /** The woven bytes of {@code internalName}, or null when none of {@code wanted} names one of its methods. */
    byte[] weave(ClassLoader loader, String internalName, byte[] bytes, List<MethodProbe> wanted, Found found) {
        return weave(loader, internalName, bytes, wanted, found, null);
    }

    private byte[] weave(ClassLoader loader, String internalName, byte[] bytes, List<MethodProbe> wanted,
            Found found, @Nullable AsmVisitorWrapper.ForDeclaredMethods only) {
        String name = internalName.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(name).resolve();
        DynamicType.Builder<?> builder = byteBuddy.redefine(type, locator);
        boolean any = false;
        for (MethodProbe p : wanted) {
            boolean has = !type.getDeclaredMethods().filter(methods(p)).isEmpty();
            found.accept(p.id(), has);
            if (has) {
                builder = builder.visit(only != null ? only : advice[p.id()]);
                any = true;
            }
        }
        return any ? builder.make().getBytes() : null;
    }
}
