//! No code: this crate's dependencies are its purpose (see Cargo.toml).
