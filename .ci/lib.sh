# Sourced by .ci/kitchen-sink and .ci/evolution (from the workspace root): their output helpers
# and the scratch copy of the workspace both generate into and build.

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n--> %s\n' "$*"; }
fail() {
    echo "error: $*" >&2
    exit 1
}
timed() {
    local start=$SECONDS
    "$@"
    printf '    (%ss)\n' "$((SECONDS - start))"
}

# Fetches the dependencies (the scratch builds run offline) and copies the workspace, without
# target/ (nor openapi/), to $1. Cargo names a workspace member's artifacts by a hash of its path
# relative to the workspace root, so the copy's crates would share file names with the real ones
# in the shared target dir and overwrite them: a build-metadata suffix `+$2` on the version gives
# them names of their own.
copy_workspace() {
    local scratch=$1 mark=$2
    step "cargo fetch --locked (the scratch builds below run offline)"
    cargo fetch --locked

    step "copy the workspace to $scratch (without target/${3:+, $3})"
    rm -rf "$scratch"
    mkdir -p "$scratch"
    tar -cf - --exclude=target Cargo.toml Cargo.lock .cargo rustfmt.toml vast-api vast-api-tests xtask |
        tar -xf - -C "$scratch"
    awk -v mark="$mark" '!done && /^version = "/ { sub(/"$/, "+" mark "\""); done = 1 } { print }' \
        "$scratch/Cargo.toml" >"$scratch/Cargo.toml.new"
    mv "$scratch/Cargo.toml.new" "$scratch/Cargo.toml"
    grep -q "^version = \".*+$mark\"\$" "$scratch/Cargo.toml" ||
        fail "no [workspace.package] version to mark in $scratch/Cargo.toml"
}
