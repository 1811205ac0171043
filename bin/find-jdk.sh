# Sourced by ./mvnw and ./prefect: makes JAVA_HOME point at a JDK 21 or newer.
# Order: JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.
# Prints what to install and returns 1 when there is none.
# Options that only some JDKs know are chosen here, for the JDK found, never in a static file
# every JDK reads (.mvn/jvm.config): see openprefect_maven_opts.

openprefect_java_major() {
  # $1: a java executable. Prints its feature version (17, 21, 25, ...), or nothing.
  # Read from the JDK's `release` file (every JDK since 9 has one) rather than by starting a JVM,
  # which cost each ./prefect command a few hundred milliseconds; a JDK without it is asked.
  local home release
  home=$(dirname "$(dirname "$(readlink -f "$1")")")
  release="$home/release"
  if [ -f "$release" ] && grep -q '^JAVA_VERSION="[0-9]' "$release"; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

openprefect_find_jdk() {
  local required=21 candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(openprefect_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(openprefect_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/javac" ] || continue
    major=$(openprefect_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$required" ]; then export JAVA_HOME="$candidate"; return 0; fi
  done
  echo "No JDK $required or newer was found (looked at JAVA_HOME, javac on PATH and /usr/lib/jvm)." >&2
  echo "Install one, for example 'apt-get install openjdk-21-jdk-headless' or a Temurin 21+ JDK," >&2
  echo "then set JAVA_HOME to it and run this command again." >&2
  return 1
}

openprefect_maven_opts() {
  # Maven 3.9's Guice calls sun.misc.Unsafe, which JDK 24+ warns about on every build; the option
  # that allows it quietly exists from JDK 23 on, and JDK 21 refuses to start when given it.
  local major
  major=$(openprefect_java_major "$JAVA_HOME/bin/java")
  if [ -n "$major" ] && [ "$major" -ge 23 ]; then
    case " ${MAVEN_OPTS:-} " in
      *" --sun-misc-unsafe-memory-access="*) ;;
      *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;;
    esac
  fi
}
