#!/usr/bin/env bash
# Builds the OCI image sensor-daemon/target/dbwire-oci.tar without a Docker daemon and without a registry:
#   1. stages a root file system in sensor-daemon/target/oci-root: a Java runtime made by jlink from the build's
#      own JDK 17, the shared libraries that runtime needs copied from the build host (with their loader), a
#      minimal /etc (passwd/group with the dbwire user), the shaded jar and config/dbwire.yml;
#   2. runs jib:buildTar (packaging/oci/pom.xml) on top of `scratch`, which writes the image as an OCI tar.
# Not part of `mvn verify`: run it after the package phase (it needs sensor-daemon/target/dbwire.jar).
# The host's glibc goes into the image, so build on the oldest distribution you mean to support (Debian 12 here).
# Usage: packaging/build-oci-image.sh [MVN_ARGS...]   e.g. -o to stay offline once jib is in ~/.m2
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target="$root/sensor-daemon/target"
jar="$target/dbwire.jar"
[ -f "$jar" ] || { echo "build-oci-image: $jar missing (run: mvn -B -q -DskipTests package)" >&2; exit 1; }
# the project version: the first <version> of the module's pom is its parent's, which the reactor shares
version=$(grep -m1 -o '<version>[^<]*' "$root/sensor-daemon/pom.xml" | sed 's/<version>//')
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
start=$(date +%s)

stage="$target/oci-root"
rm -rf "$stage"
mkdir -p "$stage"

# --- Java runtime --------------------------------------------------------------------------------------------
# Modules: what `jdeps --print-module-deps` reports for the shaded jar, plus what is loaded by name or reflection:
# jdk.unsupported (Netty, JCTools), jdk.crypto.ec (ECDHE for Kafka/syslog TLS), jdk.naming.dns, jdk.net,
# jdk.zipfs, jdk.localedata is left out (English only), java.desktop only because java.beans is in it (Jackson, Kafka).
modules=$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar" 2>/dev/null | tail -1)
modules="$modules,jdk.unsupported,jdk.crypto.ec,jdk.naming.dns,jdk.net,jdk.zipfs,jdk.management"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --compress=2 --output "$stage/opt/java"
# Debian's JDK points cacerts at /etc/ssl/certs/java/cacerts: ship the file itself.
if [ -L "$java_home/lib/security/cacerts" ] || [ -f "$java_home/lib/security/cacerts" ]; then
    rm -f "$stage/opt/java/lib/security/cacerts"
    cp -L "$java_home/lib/security/cacerts" "$stage/opt/java/lib/security/cacerts" 2>/dev/null || true
fi

# --- shared libraries from the build host ------------------------------------------------------------------
# Everything ldd resolves for the runtime's binaries and libraries, at the same path, plus the loader. libpcap
# (live capture through pcap4j) comes along when the host has it.
copy_lib() { case "$1" in "$stage"/*) return ;; esac; [ -e "$stage$1" ] || install -D -m 0755 "$(readlink -f "$1")" "$stage$1"; }
# java.desktop's own native libraries (AWT, fonts, sound, images, splash) are never loaded by a headless sensor
# that only needs java.beans from that module: their X11/font/sound libraries stay out of the image.
elves=("$stage/opt/java/bin/java" $(find "$stage/opt/java/lib" -name '*.so' \
    -not -regex '.*/lib\(awt\|awt_headless\|awt_xawt\|jawt\|fontmanager\|jsound\|splashscreen\|lcms\|javajpeg\|mlib_image\)\.so'))
for pcap in /usr/lib/x86_64-linux-gnu/libpcap.so.0.8 /usr/lib/aarch64-linux-gnu/libpcap.so.0.8; do
    [ -e "$pcap" ] && { copy_lib "$pcap"; ln -sf "$(basename "$pcap")" "$stage$(dirname "$pcap")/libpcap.so"; elves+=("$pcap"); }
done
missing=()
for elf in "${elves[@]}"; do
    while read -r name arrow path _; do
        case "$name" in linux-vdso*|"") continue ;; esac
        if [ "$arrow" = "=>" ] && [ "$path" = "not" ]; then missing+=("$(basename "$elf"): $name"); continue; fi
        if [ "$arrow" = "=>" ]; then copy_lib "$path"; elif [ "${name:0:1}" = "/" ]; then copy_lib "$name"; fi
    done < <(LD_LIBRARY_PATH="$stage/opt/java/lib:$stage/opt/java/lib/server" ldd "$elf" 2>/dev/null | sed 's/ (0x[0-9a-f]*)//')
done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'build-oci-image: unresolved library %s\n' "${missing[@]}" >&2
    exit 1
fi
# glibc loads these by name at run time (user and host look-ups), ldd does not list them.
for extra in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 \
             /lib/x86_64-linux-gnu/libresolv.so.2 /lib/x86_64-linux-gnu/libgcc_s.so.1; do
    [ -e "$extra" ] && copy_lib "$extra"
done

# --- /etc, the application, writable directories -------------------------------------------------------------
install -D -m 0644 /dev/stdin "$stage/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
dbwire:x:999:999:dbwire passive database-traffic sensor:/var/lib/dbwire:/sbin/nologin
P
install -D -m 0644 /dev/stdin "$stage/etc/group" <<'G'
root:x:0:
dbwire:x:999:
G
install -D -m 0644 /dev/stdin "$stage/etc/nsswitch.conf" <<'N'
passwd: files
group:  files
hosts:  files dns
N
install -D -m 0644 "$jar" "$stage/opt/dbwire/dbwire.jar"
install -D -m 0644 "$root/config/dbwire.yml" "$stage/etc/dbwire/dbwire.yml"
install -D -m 0644 "$root/config/policy.yml" "$stage/etc/dbwire/policy.yml"
install -D -m 0644 "$root/LICENSE" "$stage/usr/share/doc/dbwire/LICENSE"
mkdir -p "$stage/var/lib/dbwire" "$stage/var/log/dbwire" "$stage/tmp"
staged=$(date +%s)

# --- image -----------------------------------------------------------------------------------------------------
rm -f "$target/dbwire-oci.tar"
mkdir -p "$target/oci-build/classes"
# No update check (it would call out to Google), and jib's layer cache beside the build, not in $HOME.
mvn -B -q -f "$root/packaging/oci/pom.xml" "$@" -Ddbwire.version="$version" -Djib.disableUpdateChecks=true \
    -Djib.applicationCache="$target/oci-build/jib-cache" -Djib.baseImageCache="$target/oci-build/jib-cache" \
    -Ddbwire.root="$stage" -Ddbwire.image.tar="$target/dbwire-oci.tar" jib:buildTar
end=$(date +%s)
echo "build-oci-image: $target/dbwire-oci.tar (dbwire:$version, docker-archive, loads with docker or podman; $(du -m "$target/dbwire-oci.tar" | cut -f1) MB;" \
     "staged in $((staged - start)) s, jib $((end - staged)) s)"
