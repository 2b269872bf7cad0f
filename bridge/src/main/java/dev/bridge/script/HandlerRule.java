package dev.bridge.script;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one rule for which exported function serves a method; serving, {@code bridgejs call} and the AOT training
 * all reach handlers through it ({@link ScriptHandlers}), and start-up checks a script against it ({@link #check}).
 *
 * <ul>
 *   <li>Method {@code Get} of service {@code shop.v1.Inventory} is served by the function {@code Get} of the
 *       exported object named after the service: {@code shop_v1_Inventory} (the full name, dots replaced by
 *       underscores) if exported, else {@code Inventory} (the simple name). {@code this} is that object.
 *   <li>Else by the exported function {@code Get}, allowed only when no other served service has a method
 *       {@code Get}: a shared name needs one object per service, and a flat export of it is refused.
 *   <li>The simple name names a service only when no other served service has that simple name: two served
 *       services {@code a.Inventory} and {@code b.Inventory} take objects {@code a_Inventory} and
 *       {@code b_Inventory}.
 *   <li>Every exported function, and every function of a service object, must serve a method; exports meant for
 *       a loaded service that is not served ({@code --service}, the manifest's {@code "services"}) are left
 *       unserved, as is a service object of such a service.
 * </ul>
 *
 * Lookups ({@link #find}) need no list of served services: the start-up check refuses every export that another
 * served service could claim, so what the lookup finds first is the only candidate.
 */
public final class HandlerRule {
  private HandlerRule() {}

  /**
   * Where a method's handler is.
   *
   * @param object the exported object holding it ({@code this} in the handler), or empty for a flat function
   * @param function the function's name: the method's name
   */
  public record Target(Optional<String> object, String function) {
    /** {@code Inventory.Get} or {@code Get}, as the script writes it. */
    public String describe() {
      return object.map(name -> name + "." + function).orElse(function);
    }
  }

  /** The object name that always names this service: its full name with dots replaced, {@code shop_v1_Inventory}. */
  public static String qualifiedObjectName(ServiceDescriptor service) {
    return service.getFullName().replace('.', '_');
  }

  /** Whether two of these services have a method of the same name, which then needs service objects. */
  public static boolean sharesMethodNames(List<ServiceDescriptor> services) {
    Set<String> seen = new java.util.HashSet<>();
    return services.stream().flatMap(service -> service.getMethods().stream().map(MethodDescriptor::getName).distinct())
        .anyMatch(name -> !seen.add(name));
  }

  /** The export holding the method's handler, if the script has one. */
  public static Optional<Target> find(ScriptExports exports, MethodDescriptor method) {
    for (String name : objectNames(method.getService())) {
      Set<String> functions = exports.objects().get(name);
      if (functions != null && functions.contains(method.getName())) {
        return Optional.of(new Target(Optional.of(name), method.getName()));
      }
    }
    if (exports.functions().contains(method.getName())) {
      return Optional.of(new Target(Optional.empty(), method.getName()));
    }
    return Optional.empty();
  }

  /** What the script would need to export to serve the method, for the UNIMPLEMENTED message. */
  public static String describeMissing(Path script, ScriptExports exports, MethodDescriptor method) {
    String name = method.getName();
    String display = method.getService().getFullName() + "/" + name;
    for (String object : objectNames(method.getService())) {
      if (exports.objects().containsKey(object)) {
        return "the script " + script.getFileName() + " exports " + object + " without a function " + name
            + " for " + display + " (add to it: " + written(method) + " { ... })";
      }
    }
    boolean shared = method.getService().getFile().getServices().stream()
        .anyMatch(other -> other != method.getService() && other.findMethodByName(name) != null);
    if (shared) {
      return "the script " + script.getFileName() + " exports no object " + method.getService().getName()
          + " with a function " + name + " for " + display + " (add: export const " + method.getService().getName()
          + " = { " + written(method) + " { ... } })";
    }
    return "the script " + script.getFileName() + " exports no function " + name + " for " + display
        + " (add: export " + (method.isServerStreaming() ? "async function* " : method.isClientStreaming()
        ? "async function " : "function ") + name + "(" + parameter(method) + ", context) { ... })";
  }

  /** The method as a service object holds it, in the form of its call shape: {@code async *Count(request, context)}. */
  static String written(MethodDescriptor method) {
    String prefix = method.isServerStreaming() ? "async *" : method.isClientStreaming() ? "async " : "";
    return prefix + method.getName() + "(" + parameter(method) + ", context)";
  }

  /** A handler's first parameter: {@code request}, or {@code requests} for a stream of them. */
  private static String parameter(MethodDescriptor method) {
    return method.isClientStreaming() ? "requests" : "request";
  }

  /**
   * Checks a script's exports against the services at start-up.
   *
   * @param served the services to serve
   * @param loaded every service of the loaded proto files (those served among them)
   * @return the exports left unserved because they are meant for loaded services not served ({@code Count},
   *     {@code Inventory}), for a debug line
   * @throws HandlerRuleException naming the first kind of problem found, with the exports and what to write
   */
  public static Set<String> check(Path script, ScriptExports exports, List<ServiceDescriptor> served,
      List<ServiceDescriptor> loaded) throws HandlerRuleException {
    Set<String> unserved = new TreeSet<>();
    checkFunctions(script, exports.functions(), served, loaded, unserved);
    checkObjects(script, exports.objects(), served, loaded, unserved);
    checkShadowed(script, exports, served);
    return unserved;
  }

  /** A flat function its service's object also serves would never run: refused rather than silently unused. */
  private static void checkShadowed(Path script, ScriptExports exports, List<ServiceDescriptor> served)
      throws HandlerRuleException {
    for (String function : new TreeSet<>(exports.functions())) {
      for (ServiceDescriptor service : served) {
        MethodDescriptor method = service.findMethodByName(function);
        Optional<Target> target = method == null ? Optional.empty() : find(exports, method);
        if (target.isPresent() && target.get().object().isPresent()) {
          throw new HandlerRuleException(script + " exports " + function + " and " + target.get().describe()
              + ", which both serve " + service.getFullName() + "/" + function + " (the object's wins);"
              + " keep one");
        }
      }
    }
  }

  private static void checkFunctions(Path script, Set<String> functions, List<ServiceDescriptor> served,
      List<ServiceDescriptor> loaded, Set<String> unserved) throws HandlerRuleException {
    Set<String> notServing = new TreeSet<>(functions);
    notServing.removeAll(methodNames(served));
    Set<String> unmatched = new TreeSet<>(notServing);
    unmatched.removeAll(methodNames(loaded));
    if (!unmatched.isEmpty()) {
      List<ServiceDescriptor> all = union(served, loaded);
      throw new HandlerRuleException(script + " exports " + String.join(", ", unmatched)
          + (unmatched.size() == 1 ? ", which matches" : ", which match") + " no method of " + fullNames(all)
          + (all.size() == 1 ? " (its methods: " : " (their methods: ") + String.join(", ", methodNames(all))
          + "); rename it or stop exporting it");
    }
    unserved.addAll(notServing);
    for (String function : new TreeSet<>(functions)) {
      List<ServiceDescriptor> owners = served.stream().filter(service -> service.findMethodByName(function) != null)
          .toList();
      if (owners.size() > 1) {
        throw new HandlerRuleException(script + " exports " + function + ", a method of " + (owners.size() == 2 ? "both " : "all of ") + fullNames(owners)
            + ": a method name several served services share is served by one object per service, as in "
            + owners.stream().map(service -> "export const " + objectName(service, served) + " = { "
                + written(service.findMethodByName(function)) + " { ... } };").collect(Collectors.joining(" ")));
      }
    }
  }

  private static void checkObjects(Path script, Map<String, Set<String>> objects, List<ServiceDescriptor> served,
      List<ServiceDescriptor> loaded, Set<String> unserved) throws HandlerRuleException {
    Map<ServiceDescriptor, String> claimed = new LinkedHashMap<>();
    for (String object : new TreeSet<>(objects.keySet())) {
      List<ServiceDescriptor> named = named(object, served);
      if (named.size() > 1) {
        throw new HandlerRuleException(script + " exports " + object + ", the simple name of several served services: "
            + fullNames(named) + "; name each one's object by its full name with dots replaced by underscores: "
            + named.stream().map(HandlerRule::qualifiedObjectName).collect(Collectors.joining(", ")));
      }
      if (named.isEmpty()) {
        if (!named(object, loaded).isEmpty()) {
          unserved.add(object);
          continue;
        }
        List<ServiceDescriptor> all = union(served, loaded);
        throw new HandlerRuleException(script + " exports " + object + ", an object holding functions ("
            + String.join(", ", new TreeSet<>(objects.get(object))) + "), but no service is named " + object
            + ": a service's handlers are exported as an object named after it ("
            + all.stream().map(service -> objectName(service, served)).collect(Collectors.joining(", "))
            + "); rename it or stop exporting it");
      }
      ServiceDescriptor service = named.getFirst();
      String earlier = claimed.put(service, object);
      if (earlier != null) {
        throw new HandlerRuleException(script + " exports both " + earlier + " and " + object + " for "
            + service.getFullName() + "; keep one");
      }
      Set<String> misspelt = new TreeSet<>(objects.get(object));
      misspelt.removeAll(methodNames(List.of(service)));
      if (!misspelt.isEmpty()) {
        throw new HandlerRuleException(script + " exports " + object + " with "
            + misspelt.stream().map(name -> object + "." + name).collect(Collectors.joining(", "))
            + (misspelt.size() == 1 ? ", which matches" : ", which match") + " no method of " + service.getFullName()
            + " (its methods: " + String.join(", ", methodNames(List.of(service)))
            + "); rename it or remove it from " + object);
      }
    }
  }

  /** The services among these that an object export of this name is for. */
  private static List<ServiceDescriptor> named(String object, List<ServiceDescriptor> services) {
    List<ServiceDescriptor> qualified = services.stream()
        .filter(service -> qualifiedObjectName(service).equals(object)).toList();
    if (!qualified.isEmpty()) {
      return qualified;
    }
    return services.stream().filter(service -> service.getName().equals(object)).toList();
  }

  /**
   * The name a script gives the object of this service, given what else is served: its simple name, or its full
   * name with dots replaced when another served service has the same simple name.
   */
  public static String objectName(ServiceDescriptor service, List<ServiceDescriptor> served) {
    long sameName = served.stream().filter(other -> other.getName().equals(service.getName())).count();
    return sameName > 1 ? qualifiedObjectName(service) : service.getName();
  }

  /** Most specific first; one name for a service outside any package. */
  private static List<String> objectNames(ServiceDescriptor service) {
    return new ArrayList<>(new LinkedHashSet<>(List.of(qualifiedObjectName(service), service.getName())));
  }

  private static List<ServiceDescriptor> union(List<ServiceDescriptor> served, List<ServiceDescriptor> loaded) {
    Map<String, ServiceDescriptor> all = new LinkedHashMap<>();
    served.forEach(service -> all.put(service.getFullName(), service));
    loaded.forEach(service -> all.putIfAbsent(service.getFullName(), service));
    return List.copyOf(all.values());
  }

  private static String fullNames(List<ServiceDescriptor> services) {
    return services.stream().map(ServiceDescriptor::getFullName).collect(Collectors.joining(", "));
  }

  private static Set<String> methodNames(Iterable<ServiceDescriptor> services) {
    Set<String> names = new TreeSet<>();
    services.forEach(service -> service.getMethods().stream().map(MethodDescriptor::getName).forEach(names::add));
    return names;
  }
}
