//! Links the system's PocketSphinx (with sphinxbase) and espeak-ng through pkg-config.
//!
//! No bindgen: the few functions hark calls are declared by hand in `src/sphinx/ffi.rs` and
//! `src/espeak/ffi.rs`, from the headers of the Debian packages named below. A missing library
//! stops the build with the packages to install, rather than a linker error later.

fn main() {
    let libraries = [
        ("pocketsphinx", "libpocketsphinx-dev pocketsphinx-en-us"),
        ("sphinxbase", "libsphinxbase-dev"),
        ("espeak-ng", "libespeak-ng-dev espeak-ng"),
    ];
    let mut missing = Vec::new();
    for (name, packages) in libraries {
        if let Err(error) = pkg_config::Config::new().probe(name) {
            missing.push(format!(
                "  {name}: {error}\n  Debian/Ubuntu: apt-get install {packages}"
            ));
        }
    }
    if !missing.is_empty() {
        panic!(
            "hark-speech needs system libraries that pkg-config cannot find:\n{}\n\
             Install them (or run scripts/setup.sh), then build again.",
            missing.join("\n")
        );
    }
}
