//! No name the expansions introduce can meet a name of the user's: this
//! module declares items named like every name the expansions use, and
//! declares signals and receivers next to them, with those types as
//! parameters, senders and results.
#![allow(dead_code, non_camel_case_types, clippy::all, clippy::pedantic)]

mod user {
    use ::std::sync::Arc;

    use signals::{receiver, signal};

    // Types named like the expansions' generic parameters, helper items and
    // the prelude's types.
    pub struct Target(pub u32);
    pub struct Output(pub u32);
    pub struct Registration(pub u32);
    pub struct S(pub u32);
    pub struct Sender(pub u32);
    pub struct Signal(pub u32);
    pub struct Connection(pub u32);
    pub struct Option(pub u32);
    pub struct Result(pub u32);
    pub struct Box(pub u32);
    pub struct Vec(pub u32);
    pub struct R(pub u32);
    pub struct Receiver(pub u32);
    pub struct Pointer(pub u32);
    pub struct Function(pub u32);
    pub struct AnySender(pub u32);
    pub struct F(pub u32);
    pub struct Step(pub u32);
    pub struct Filler(pub u32);
    pub struct BoxFuture(pub u32);

    // Modules named like the crates the expansions reach.
    pub mod core {}
    pub mod std {}
    pub mod inventory {}

    // A function named like the generated method.
    pub fn send() -> u32 {
        7
    }

    #[signal]
    pub fn targeted(target: &Target, output: &Output) -> u32;

    #[signal]
    pub fn registered(registration: &Registration, s: &S);

    #[signal]
    pub fn wrapped(option: &Option, result: &Result, boxed: &Box, vec: &Vec);

    #[signal]
    pub type PerObject = fn(sender: &Sender, signal: &Signal, connection: &Connection) -> u32;

    #[receiver(signal = targeted)]
    fn sum(target: &Target, output: &Output) -> u32 {
        target.0 + output.0 + send()
    }

    #[receiver(signal = targeted, sender = Sender)]
    fn from_sender(sender: &Sender, target: &Target, output: &Output) -> u32 {
        sender.0 + target.0 + output.0
    }

    #[receiver(signal = registered)]
    fn registration(registration: &Registration, s: &S) {
        assert_eq!(registration.0 + s.0, 3);
    }

    #[receiver(signal = wrapped, sender = R)]
    fn wrapped_receiver(option: &Option, result: &Result, boxed: &Box, vec: &Vec) {
        assert_eq!(option.0 + result.0 + boxed.0 + vec.0, 10);
    }

    // Names of the functions that let a send from an `Arc` reach the
    // receivers of what it points to.
    #[signal]
    pub fn pointed(pointer: &Pointer, function: &Function, any: &AnySender) -> u32;

    #[receiver(signal = pointed, sender = Receiver)]
    fn through_pointer(
        receiver: &Receiver,
        pointer: &Pointer,
        function: &Function,
        any: &AnySender,
    ) -> u32 {
        receiver.0 + pointer.0 + function.0 + any.0
    }

    // The names of a bridged signal's impl: its receiver type, the
    // forwarded tuple, the sender.
    #[signal(bridge)]
    pub fn bridged(function: &Function, f: &F, any: &AnySender, sender: u32);

    #[test]
    fn bridged_signals_work_next_to_the_users_names() {
        use ::signals::Bridge as _;
        let seen = ::std::sync::Arc::new(::std::sync::Mutex::new(0));
        let sink = seen.clone();
        let _forward = bridged.forward(
            &::signals::ConnectOptions::new(),
            move |(function, f, any, sender)| {
                *sink.lock().unwrap() += function.0 + f.0 + any.0 + sender;
            },
        );
        assert!(
            bridged
                .deliver((Function(1), F(2), AnySender(3), 4))
                .is_empty()
        );
        assert_eq!(*seen.lock().unwrap(), 10);
    }

    // The names of async sends: the step helper's parameter, the slot.
    #[signal]
    pub async fn awaited(f: &F, step: &Step, filler: &Filler) -> u32;

    #[receiver(signal = awaited)]
    async fn awaited_receiver(f: &F, step: &Step, filler: &Filler) -> u32 {
        f.0 + step.0 + filler.0
    }

    #[test]
    fn async_signals_work_next_to_the_users_names() {
        let _runtime = awaited.connect(|f: &F, _: &Step, _: &Filler| f.0);
        let _boxed = awaited.connect_async(|_: &F, step: &Step, _: &Filler| {
            let step = step.0;
            ::std::boxed::Box::pin(async move { step })
        });
        let sent = futures_executor::block_on(awaited.send(&F(1), &Step(2), &Filler(3)));
        assert_eq!(sent, [6, 1, 2]);
        let _ = BoxFuture(0);
    }

    #[test]
    fn pointer_senders_work_next_to_the_users_names() {
        let receiver = ::std::sync::Arc::new(Receiver(1));
        assert_eq!(
            pointed.send_from(&receiver, &Pointer(2), &Function(3), &AnySender(4)),
            [10]
        );
    }

    #[test]
    fn signals_and_receivers_work_next_to_the_users_names() {
        assert_eq!(targeted.send(&Target(1), &Output(2)), [10]);
        assert_eq!(
            targeted.send_from(&Sender(4), &Target(1), &Output(2)),
            [7, 10]
        );
        registered.send(&Registration(1), &S(2));
        wrapped.send_from(&R(0), &Option(1), &Result(2), &Box(3), &Vec(4));

        let signal = PerObject::new();
        let target = Arc::new(Target(5));
        let _weak = signal.connect_weak(
            &target,
            |target: &Target, sender: &Sender, _: &Signal, _: &Connection| target.0 + sender.0,
        );
        let _plain = signal.connect(|sender, _, connection| sender.0 + connection.0);
        let _from = signal.connect_from(
            |receiver: &Receiver, sender: &Sender, _: &Signal, _: &Connection| {
                receiver.0 + sender.0
            },
        );
        let total: u32 = signal
            .send_iter(&Sender(1), &Signal(0), &Connection(2))
            .sum();
        assert_eq!(total, 6 + 3);
        assert_eq!(
            signal.send_from(&Receiver(10), &Sender(1), &Signal(0), &Connection(2)),
            [6, 3, 11]
        );
        let output = signal.connected_to(|_, _, _| 0, || Output(1));
        assert_eq!(output.0, 1);
        assert_eq!(signal.disconnect_all(), 3);
    }
}
