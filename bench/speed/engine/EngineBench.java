import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The Transform's JavaScript in GraalJS alone, outside the bridge (docs/warm.md#cpu-bound-calls): per round, each
 * part's CPU time per operation, of this thread / of the whole JVM (its compilers included), and its allocation.
 * Run from the repository's root, with the JIT (java is the JDK 25, bridge/target built):
 *
 * <pre>
 * T=bridge/target; java -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
 *   --upgrade-module-path=$T/jit/compiler.jar:$T/jit/truffle-compiler.jar:$T/jit/collections.jar:$T/jit/word.jar:$T/jit/nativeimage.jar \
 *   --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC \
 *   -cp $T/bridge.jar bench/speed/engine/EngineBench.java ROUNDS CONTEXTS
 * </pre>
 *
 * CONTEXTS above 1 puts that many contexts on one engine, as the warm runtime does. Node's side: node.js.
 */
public class EngineBench {
  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int contexts = Integer.parseInt(args[1]); // >1: a shared engine with that many contexts (multi-context code)
    String src = Files.readString(Path.of("bench/speed/engine/work.js"));
    Engine engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    Context ctx = null;
    for (int i = 0; i < contexts; i++) {
      Context c = Context.newBuilder("js").engine(engine).build();
      c.eval(Source.create("js", src));
      if (ctx == null) ctx = c;
    }
    Value loop = ctx.getBindings("js").getMember("loop");
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = ManagementFactory.getThreadMXBean();
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder(r + "");
      for (String name : new String[] {"whole", "parse", "transform", "stringify"}) {
        var st = (com.sun.management.ThreadMXBean) threads;
        long a0 = st.getCurrentThreadAllocatedBytes();
        long p0 = os.getProcessCpuTime(), t0 = threads.getCurrentThreadCpuTime();
        int n = loop.execute(name, 1000).asInt();
        long p = os.getProcessCpuTime() - p0, t = threads.getCurrentThreadCpuTime() - t0;
        long a = st.getCurrentThreadAllocatedBytes() - a0;
        line.append(String.format("  %s %.1f/%.1fus/op %.0fKB", name, t / 1e3 / n, p / 1e3 / n, a / 1024.0 / n));
      }
      System.out.println(line);
    }
  }
}
