//! Signal types with type parameters, bounds, `where` clauses, const
//! parameters and lifetimes in the `fn` type: napari's `Worker<T>` and
//! AMLTK's `Task<I, O>` with typed per-object signals.

use std::sync::{Arc, Mutex};

use signals::{ConnectOptions, signal};

/// Emitted for every value a worker yields.
#[signal]
pub type Yielded<T> = fn(value: &T);

/// Asks each receiver for a value made from the input.
#[signal]
pub type Mapped<I, O>
where
    I: ?Sized + Sync,
    O: Default,
= fn(input: &I) -> O;

/// Bounds inline, and a by-value `Copy` argument of the parameter's type.
#[signal]
pub type Scored<T: Copy + Send + Sync + PartialOrd> = fn(score: T, best: &mut Option<T>);

/// A const parameter.
#[signal]
pub type Window<const N: usize> = fn(samples: &[u8; N]) -> usize;

/// Lifetimes named in the `fn` type.
#[signal]
pub type Compared<T> = for<'a> fn(first: &'a T, second: &'a T) -> bool;

/// napari's worker: one set of signals per worker, typed by what it yields.
#[derive(Default)]
pub struct Worker<T: Send + Sync + 'static> {
    pub yielded: Yielded<T>,
}

impl<T: Send + Sync + 'static> Worker<T> {
    pub fn run(&self, values: impl IntoIterator<Item = T>) {
        for value in values {
            self.yielded.send(&value);
        }
    }
}

#[test]
fn a_generic_signal_type_is_typed_by_its_parameter() {
    let images: Worker<Vec<u8>> = Worker::default();
    let labels: Worker<String> = Worker::default();
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let _sizes = images.yielded.connect({
        let sizes = Arc::clone(&sizes);
        move |image: &Vec<u8>| sizes.lock().unwrap().push(image.len())
    });
    let seen = Arc::new(Mutex::new(Vec::new()));
    let _labels = labels.yielded.connect({
        let seen = Arc::clone(&seen);
        move |label: &String| seen.lock().unwrap().push(label.clone())
    });
    images.run([vec![1, 2, 3], vec![4]]);
    labels.run(["a".to_owned()]);
    assert_eq!(*sizes.lock().unwrap(), [3, 1]);
    assert_eq!(*seen.lock().unwrap(), ["a"]);
    assert_eq!(format!("{:?}", images.yielded), "Yielded { receivers: 1 }");
}

#[test]
fn where_clauses_return_values_and_lazy_sends() {
    let mapped: Mapped<str, usize> = Mapped::new();
    mapped.connect(|input: &str| input.len());
    mapped.connect_with(&ConnectOptions::new().priority(1), |input: &str| {
        input.split(' ').count()
    });
    assert_eq!(mapped.send("a b c"), [3, 5]);
    assert_eq!(mapped.send_iter("ab").sum::<usize>(), 3);
    let from: Vec<usize> = mapped.send_from_iter(&(), "x").collect();
    assert_eq!(from, [1, 1]);
    assert_eq!(mapped.disconnect_all(), 2);
}

#[test]
fn inline_bounds_by_value_arguments_and_mutable_ones() {
    let scored: Scored<f64> = Scored::new();
    scored.connect(|score, best| {
        if best.is_none_or(|best| score > best) {
            *best = Some(score);
        }
    });
    scored.connect(|score, best| {
        if best.is_none_or(|best| score * 2.0 > best) {
            *best = Some(score * 2.0);
        }
    });
    let mut best = None;
    scored.send(1.5, &mut best);
    assert_eq!(best, Some(3.0));
}

#[test]
fn const_parameters_and_named_lifetimes() {
    let window: Window<4> = Window::default();
    window.connect(|samples| samples.iter().filter(|sample| **sample > 1).count());
    assert_eq!(window.send(&[0, 1, 2, 3]), [2]);

    let compared: Compared<String> = Compared::new();
    compared.connect(|first, second| first == second);
    let target = Arc::new(2_usize);
    compared.connect_weak(
        &target,
        |target: &usize, first: &String, _second: &String| first.len() == *target,
    );
    assert_eq!(
        compared.send(&"ab".to_owned(), &"ab".to_owned()),
        [true, true]
    );
    let total = compared.connected_to(
        |_, _| false,
        || compared.send(&"a".to_owned(), &"b".to_owned()),
    );
    assert_eq!(total, [false, false, false]);
}
