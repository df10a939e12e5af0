//! The package that holds the integration tests, examples and benches of
//! `signals`: they use the library from the outside, as a user would.
