//! The expansions compile cleanly under strict lints in a user's crate, and
//! the `crate = ..` option reaches the runtime through a re-export.
#![deny(
    warnings,
    missing_docs,
    missing_debug_implementations,
    unused_qualifications,
    unreachable_pub,
    unsafe_code,
    trivial_casts,
    trivial_numeric_casts,
    single_use_lifetimes,
    elided_lifetimes_in_paths,
    rust_2018_idioms,
    non_camel_case_types
)]

/// A framework that re-exports the runtime under its own name.
pub mod framework {
    pub use signals as events;
}

/// Signals declared through the re-export.
pub mod app {
    use crate::framework::events::{receiver, signal};

    /// A document.
    #[derive(Debug)]
    pub struct Document {
        /// Its words.
        pub words: u32,
    }

    /// Sent when a document is saved.
    #[signal(crate = crate::framework::events)]
    pub fn document_saved(document: &Document, autosave: bool) -> u32;

    /// Sent on every keystroke.
    #[signal(crate = crate::framework::events)]
    pub(crate) fn keystroke<'a>(key: &'a str, previous: &'a str);

    #[receiver(signal = document_saved, crate = crate::framework::events)]
    fn count_words(document: &Document, autosave: bool) -> u32 {
        if autosave { 0 } else { document.words }
    }

    #[receiver(signal = document_saved, sender = str, crate = crate::framework::events)]
    fn named_save(name: &str, document: &Document, _autosave: bool) -> u32 {
        u32::try_from(name.len()).unwrap_or(u32::MAX) + document.words
    }

    #[receiver(signal = keystroke, crate = crate::framework::events)]
    fn ignore_key<'a>(_key: &'a str, _previous: &'a str) {}
}

#[test]
fn signals_work_through_a_reexport() {
    let document = app::Document { words: 40 };
    assert_eq!(app::document_saved.send(&document, false), [40]);
    assert_eq!(
        app::document_saved.send_from("notes", &document, true),
        [0, 45]
    );
    app::keystroke.send("k", "j");
    assert_eq!(app::keystroke.receivers().len(), 1);
}
