package io.github.jobmetrics.agent.internal;

import edu.umd.cs.findbugs.annotations.Nullable;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Adds the probes' advice to a class's bytes with Byte Buddy's {@link Advice}. The only class of the agent that
 * touches Byte Buddy's weaving API, so Byte Buddy is loaded only when a pattern is configured.
 *
 * <p>It drives Byte Buddy's copy of ASM itself rather than going through {@code ByteBuddy#redefine}: the class is
 * read once from the bytes the JVM hands to the transformer, methods that no pattern names are copied as they are,
 * and each named method's visitor is wrapped by {@link Advice#wrap}, which inlines the advice and keeps the
 * method's stack map frames and maximums itself (no frame computation, no type pool, no class loading). The
 * descriptions Advice needs are made from the class file's own names ({@link TypeDescription.Latent}). This
 * leaves out about half of the Byte Buddy classes the redefinition API loads, which is most of its start-up cost.
 *
 * <p>The class keeps its shape (no new fields or methods), as retransforming an already loaded class requires.
 */
final class Weaver {
    /** Tells which probe found a method in the class (true) or none (false), and the overloads it passed by. */
    interface Found {
        void accept(int id, boolean found);

        /** A method of the probe's name whose parameters, {@code (java.lang.String,int)}, the pattern excludes. */
        void otherOverload(int id, String parameters);
    }

    /** A Found that keeps nothing. */
    private static final class Ignored implements Found {
        @Override
        public void accept(int id, boolean found) {
        }

        @Override
        public void otherOverload(int id, String parameters) {
        }
    }

    private static final TypeDescription.Generic OBJECT = TypeDescription.ForLoadedType.of(Object.class)
            .asGenericType();

    private final Advice[] advice;
    /** Woven into every method of a class under the {@code discover} package; null when discovery is off. */
    private final @Nullable Advice discover;

    private Weaver(List<MethodProbe> probes, boolean discovering) {
        this.discover = discovering ? Advice.to(DiscoverAdvice.class) : null;
        this.advice = new Advice[probes.size()];
        for (MethodProbe p : probes) {
            advice[p.id()] = adviceFor(p);
        }
    }

    private static Advice adviceFor(MethodProbe p) {
        Class<?> adviceClass = p.kind() == MethodProbe.Kind.RECORD ? RecordAdvice.class
                : p.kind() == MethodProbe.Kind.INPUT ? InputAdvice.class : OutputAdvice.class;
        return Advice.withCustomMapping().bind(ProbeId.class, p.id()).to(adviceClass);
    }

    /**
     * Makes the weaver and weaves one small class of ours, thrown away: that loads most of Byte Buddy here, on
     * the background thread, rather than when the job's first named class loads.
     */
    static Weaver create(List<MethodProbe> probes, boolean discovering) {
        Weaver weaver = new Weaver(probes, discovering);
        String warmUp = WarmUp.class.getName().replace('.', '/');
        try (java.io.InputStream in = Weaver.class.getClassLoader().getResourceAsStream(warmUp + ".class")) {
            if (in != null) {
                MethodProbe probe = new MethodProbe(0, MethodProbe.Kind.RECORD, "main", WarmUp.class.getName() + "#run");
                weaver.weave(warmUp, in.readAllBytes(), List.of(probe), 1, new Ignored(),
                        new Advice[] {adviceFor(probe)}, null);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Only a warm-up: the real weaving reports its own problems.
        }
        return weaver;
    }

    /**
     * Loads (without initialising) the Byte Buddy classes that weaving uses, listed in {@code
     * byte-buddy-classes.txt}, so that a second core reads and defines them while the weaver's thread runs
     * (linking them too, through reflection, did not pay). A name that this Byte Buddy lacks is skipped.
     */
    static void preloadClasses() {
        String base = Advice.class.getName();
        base = base.substring(0, base.length() - "asm.Advice".length());
        ClassLoader loader = Weaver.class.getClassLoader();
        try (java.io.InputStream in = Weaver.class.getResourceAsStream("byte-buddy-classes.txt")) {
            if (in == null) {
                return;
            }
            java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                try {
                    if (!line.isEmpty() && line.charAt(0) != '#') {
                        Class.forName(base + line, false, loader);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // Another Byte Buddy version: the weaver loads what it needs itself.
                }
            }
        } catch (java.io.IOException e) {
            // Only a head start.
        }
    }

    /** What the warm-up weaves; never loaded. */
    static final class WarmUp {
        private WarmUp() {
        }

        void run() {
        }
    }

    /**
     * The woven bytes of {@code internalName}, or null when none of {@code wanted} names one of its methods. The
     * first {@code exact} probes name this class itself and match any of its methods; the others name a
     * supertype and match only its overridable methods (not static, private or constructors). With {@code
     * discovering}, every method but constructors and initialisers is timed for discovery too.
     */
    byte[] weave(@Nullable ClassLoader loader, String internalName, byte[] bytes, List<MethodProbe> wanted,
            int exact, Found found, boolean discovering) {
        return weave(internalName, bytes, wanted, exact, found, advice, discovering ? discover : null);
    }

    private static byte[] weave(String internalName, byte[] bytes, List<MethodProbe> wanted, int exact,
            Found found, Advice[] advice, @Nullable Advice discover) {
        ClassReader reader = OpenedClassReader.of(bytes);
        // Given the reader, the writer copies the constant pool and every method no advice wraps as they are.
        ClassWriter writer = new ClassWriter(reader, 0);
        ProbeVisitor visitor = new ProbeVisitor(writer, wanted, exact, found, advice, discover);
        reader.accept(visitor, 0);
        boolean any = visitor.discovered;
        for (int i = 0; i < wanted.size(); i++) {
            found.accept(wanted.get(i).id(), visitor.hit[i]);
            any |= visitor.hit[i];
        }
        return any ? writer.toByteArray() : null;
    }

    /** Wraps each method that a wanted probe names (bridges, abstract and native methods excepted) in its advice. */
    private static final class ProbeVisitor extends ClassVisitor {
        private static final int NOT_OVERRIDABLE = Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE;

        private final List<MethodProbe> wanted;
        private final int exact;
        private final Found found;
        private final Advice[] advice;
        private final @Nullable Advice discover;
        final boolean[] hit;
        boolean discovered;
        private TypeDescription type;
        private Implementation.Context context;

        ProbeVisitor(ClassVisitor next, List<MethodProbe> wanted, int exact, Found found, Advice[] advice,
                @Nullable Advice discover) {
            super(OpenedClassReader.ASM_API, next);
            this.discover = discover;
            this.wanted = wanted;
            this.exact = exact;
            this.found = found;
            this.advice = advice;
            this.hit = new boolean[wanted.size()];
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            List<TypeDescription.Generic> faces = new ArrayList<>();
            if (interfaces != null) {
                for (String i : interfaces) {
                    faces.add(latent(i, Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT).asGenericType());
                }
            }
            type = new TypeDescription.Latent(name.replace('/', '.'), access,
                    superName == null ? null : latent(superName, 0).asGenericType(), faces);
            // The advice must add no field or method (retransformation forbids it): a context that refuses to.
            context = new NoAuxiliary(type, ClassFileVersion.ofMinorMajor(version));
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            // Bridges are synthetic: a generic override's bridge calls the real method, which is counted already.
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC)) != 0) {
                return mv;
            }
            MethodDescription method = null;
            for (int i = 0; i < wanted.size(); i++) {
                MethodProbe p = wanted.get(i);
                if (i >= exact && ((access & NOT_OVERRIDABLE) != 0 || "<init>".equals(name))) {
                    continue;
                }
                if (!p.matches(name, descriptor)) {
                    if (p.methodName().equals(name)) {
                        found.otherOverload(p.id(), parameters(descriptor));
                    }
                    continue;
                }
                if (method == null) {
                    method = method(access, name, descriptor);
                }
                hit[i] = true;
                mv = advice[p.id()].wrap(type, method, mv, context, TypePool.Empty.INSTANCE, 0, 0);
            }
            if (discover != null && name.charAt(0) != '<') {
                if (method == null) {
                    method = method(access, name, descriptor);
                }
                discovered = true;
                mv = discover.wrap(type, method, mv, context, TypePool.Empty.INSTANCE, 0, 0);
            }
            return mv;
        }

        private MethodDescription method(int access, String name, String descriptor) {
            Type[] args = Type.getArgumentTypes(descriptor);
            List<ParameterDescription.Token> parameters = new ArrayList<>(args.length);
            for (Type a : args) {
                parameters.add(new ParameterDescription.Token(describe(a).asGenericType()));
            }
            return new MethodDescription.Latent(type, name, access, List.of(),
                    describe(Type.getReturnType(descriptor)).asGenericType(), parameters, List.of(), List.of(),
                    null, null);
        }
    }

    /** {@code (java.lang.String,int)} for {@code (Ljava/lang/String;I)V}: as a pattern writes it. */
    private static String parameters(String descriptor) {
        StringBuilder out = new StringBuilder("(");
        for (Type a : Type.getArgumentTypes(descriptor)) {
            out.append(out.length() > 1 ? "," : "").append(a.getClassName());
        }
        return out.append(')').toString();
    }

    /** Advice needs of a type only its name, its kind (primitive, array, reference) and its stack size. */
    private static TypeDescription describe(Type t) {
        switch (t.getSort()) {
            case Type.VOID:
                return TypeDescription.ForLoadedType.of(void.class);
            case Type.BOOLEAN:
                return TypeDescription.ForLoadedType.of(boolean.class);
            case Type.CHAR:
                return TypeDescription.ForLoadedType.of(char.class);
            case Type.BYTE:
                return TypeDescription.ForLoadedType.of(byte.class);
            case Type.SHORT:
                return TypeDescription.ForLoadedType.of(short.class);
            case Type.INT:
                return TypeDescription.ForLoadedType.of(int.class);
            case Type.FLOAT:
                return TypeDescription.ForLoadedType.of(float.class);
            case Type.LONG:
                return TypeDescription.ForLoadedType.of(long.class);
            case Type.DOUBLE:
                return TypeDescription.ForLoadedType.of(double.class);
            case Type.ARRAY:
                return TypeDescription.ArrayProjection.of(describe(t.getElementType()), t.getDimensions());
            default:
                return latent(t.getInternalName(), 0);
        }
    }

    private static TypeDescription latent(String internalName, int modifiers) {
        return new TypeDescription.Latent(internalName.replace('/', '.'), Opcodes.ACC_PUBLIC | modifiers,
                "java/lang/Object".equals(internalName) || (modifiers & Opcodes.ACC_INTERFACE) != 0 ? null : OBJECT);
    }

    /** Byte Buddy's disabled context: any attempt of the advice to add a member fails instead. */
    private static final class NoAuxiliary extends Implementation.Context.Disabled {
        NoAuxiliary(TypeDescription type, ClassFileVersion version) {
            super(type, version, Implementation.Context.FrameGeneration.GENERATE);
        }
    }
}
