package io.kreplay.pipeline;

import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * Lists a command's own options (those declared by kreplay's interfaces) with descriptions and
 * defaults. Beam's options (--runner, --tempLocation, ...) are accepted too; Beam's own
 * {@code --help=<OptionsInterface>} lists them.
 */
final class Help {
  private Help() {}

  static void print(Command<?> command, PrintStream out) {
    out.println("usage: kreplay " + command.name() + " [--option=value ...]");
    out.println();
    out.println(command.summary());
    out.println();
    out.println("Options:");
    for (Method m : options(command.optionsClass())) {
      Description d = m.getAnnotation(Description.class);
      String name = property(m);
      out.println("  --" + name + "=<" + m.getReturnType().getSimpleName() + ">" + suffix(m));
      out.println(wrap(d.value(), "      "));
    }
    out.println();
    out.println("Beam options such as --runner (default DirectRunner) are accepted as well.");
    out.println("Options may be written kebab-case too: --max-p99-increase=10% is --maxP99Increase=10%.");
  }

  private static String suffix(Method m) {
    if (m.getAnnotation(Validation.Required.class) != null) {
      return "  (required)";
    }
    for (Annotation a : m.getAnnotations()) {
      if (a.annotationType().getEnclosingClass() == Default.class) {
        try {
          Object v = a.annotationType().getMethod("value").invoke(a);
          return "  (default: " + v + ")";
        } catch (ReflectiveOperationException e) {
          return "";
        }
      }
    }
    return "";
  }

  private static List<Method> options(Class<? extends PipelineOptions> type) {
    List<Method> out = new ArrayList<>();
    List<Class<?>> seen = new ArrayList<>();
    collect(type, out, seen);
    return out;
  }

  private static void collect(Class<?> type, List<Method> out, List<Class<?>> seen) {
    if (seen.contains(type) || !type.getPackageName().startsWith("io.kreplay")) {
      return;
    }
    seen.add(type);
    for (Class<?> parent : type.getInterfaces()) {
      collect(parent, out, seen);
    }
    List<Method> own = new ArrayList<>();
    for (Method m : type.getDeclaredMethods()) {
      if (m.getAnnotation(Description.class) != null && m.getParameterCount() == 0) {
        own.add(m);
      }
    }
    own.sort(Comparator.comparing(Help::property));
    out.addAll(own);
  }

  static String property(Method getter) {
    String n = getter.getName().startsWith("is") ? getter.getName().substring(2) : getter.getName().substring(3);
    return Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  private static String wrap(String text, String indent) {
    StringBuilder sb = new StringBuilder(indent);
    int col = indent.length();
    for (String word : text.split(" ")) {
      if (col + word.length() > 96 && col > indent.length()) {
        sb.append('\n').append(indent);
        col = indent.length();
      }
      sb.append(word).append(' ');
      col += word.length() + 1;
    }
    return sb.toString().stripTrailing();
  }
}
