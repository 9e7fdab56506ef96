//! The errors of the intent engine.

use std::path::PathBuf;

use crate::grammar::Source;
use crate::template::TemplateError;

/// Everything that can go wrong loading or compiling a grammar.
///
/// Each message starts with `file:line:` when the place is known, as compilers
/// do, so editors and people can jump to it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("{}: {error}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// A file is not valid YAML or JSON.
    #[error("{}{message}", place(at))]
    Syntax {
        /// Where.
        at: Source,
        /// What the YAML or JSON parser said.
        message: String,
    },
    /// A sentence template or list value is malformed.
    #[error("{}in template \"{template}\": {error}", place(at))]
    Template {
        /// Where.
        at: Source,
        /// The template as written.
        template: String,
        /// What is wrong with it.
        error: TemplateError,
    },
    /// The file is well-formed but its content is not acceptable.
    #[error("{}{message}", place(at))]
    Invalid {
        /// Where.
        at: Source,
        /// What is wrong.
        message: String,
    },
}

/// `file:line: ` before a message, or nothing when the place is unknown.
fn place(at: &Source) -> String {
    if at.file.as_os_str().is_empty() {
        String::new()
    } else {
        format!("{at}: ")
    }
}
