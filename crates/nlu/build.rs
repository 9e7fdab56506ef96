//! Embeds the built-in grammar files (grammar/<lang>/*.yaml) in the library,
//! so the `hark` binary carries its English grammar with it.

use std::fs;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    if let Ok(langs) = fs::read_dir(&root) {
        for lang in langs.flatten() {
            println!("cargo:rerun-if-changed={}", lang.path().display());
            if let Ok(entries) = fs::read_dir(lang.path()) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().is_some_and(|e| e == "yaml") {
                        println!("cargo:rerun-if-changed={}", path.display());
                        files.push(path);
                    }
                }
            }
        }
    }
    files.sort();
    let mut out = String::from("&[\n");
    for path in &files {
        let relative = path.strip_prefix(&root).expect("under grammar/");
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            relative.to_string_lossy(),
            path.to_string_lossy()
        ));
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_grammar.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
