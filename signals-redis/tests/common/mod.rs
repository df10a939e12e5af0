//! A real `redis-server` for the tests: on a free loopback port, with its
//! own temporary directory and an append-only file, stopped by its
//! process id.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const INSTALL: &str = "apt-get install -y redis-server";

pub struct Server {
    pub port: u16,
    /// With [`Server::start_tls`]: the port that speaks TLS, and the
    /// certificate authority (PEM) that signed the server's certificate.
    pub tls: Option<(u16, Vec<u8>)>,
    dir: PathBuf,
    child: Option<Child>,
}

impl Server {
    /// A server of its own, or `None`, said loudly, where `redis-server`
    /// is not installed. Where `SIGNALS_REDIS_REQUIRED` is set (CI), a
    /// missing server fails the test instead.
    pub fn start() -> Option<Self> {
        if Command::new("redis-server")
            .arg("--version")
            .output()
            .is_err()
        {
            let message = format!(
                "redis-server is not installed: these tests need a real Redis. Install it with `{INSTALL}`"
            );
            assert!(
                std::env::var_os("SIGNALS_REDIS_REQUIRED").is_none(),
                "{message}"
            );
            eprintln!("\n!!! SKIPPED: {message}\n");
            return None;
        }
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("signals-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let mut server = Self {
            port,
            tls: None,
            dir,
            child: None,
        };
        server.launch();
        Some(server)
    }

    /// A server that also listens with TLS, its certificate signed by a
    /// certificate authority made for it with `openssl`.
    pub fn start_tls() -> Option<Self> {
        let mut server = Self::start()?;
        server.kill();
        let dir = &server.dir;
        let openssl = |args: &[&str]| {
            let status = Command::new("openssl")
                .args(args)
                .current_dir(dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("openssl runs");
            assert!(status.success(), "openssl {args:?}");
        };
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "2",
            "-subj",
            "/CN=signals test CA",
        ]);
        openssl(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        std::fs::write(
            dir.join("san.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ]);
        let authority = std::fs::read(dir.join("ca.crt")).unwrap();
        server.tls = Some((free_port(), authority));
        server.launch();
        Some(server)
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn launch(&mut self) {
        let mut command = Command::new("redis-server");
        if let Some((tls_port, _)) = &self.tls {
            command
                .args([
                    "--tls-port",
                    &tls_port.to_string(),
                    "--tls-auth-clients",
                    "no",
                ])
                .args([
                    "--tls-cert-file",
                    "server.crt",
                    "--tls-key-file",
                    "server.key",
                ])
                .args(["--tls-ca-cert-file", "ca.crt"]);
        }
        let child = command
            .current_dir(&self.dir)
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .arg("--dir")
            .arg(&self.dir)
            .args([
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
            ])
            .args(["--daemonize", "no", "--protected-mode", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(mut connection) = self.connection() {
                if redis::cmd("PING").query::<String>(&mut connection).is_ok() {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn connection(&self) -> redis::RedisResult<redis::Connection> {
        redis::Client::open(self.url())?.get_connection_with_timeout(Duration::from_secs(1))
    }

    /// `kill -9`, by process id: no chance to save anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let status = Command::new("kill")
                .args(["-9", &child.id().to_string()])
                .status()
                .expect("kill runs");
            assert!(status.success());
            child.wait().expect("the server exits");
        }
    }

    /// Starts it again on the same port and files.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// A command's answer.
    pub fn query<T: redis::FromRedisValue>(&self, command: &mut redis::Cmd) -> T {
        command
            .query(&mut self.connection().expect("a connection"))
            .expect("the command succeeds")
    }

    /// The entries of a stream, each as its field pairs.
    pub fn entries(&self, stream: &str) -> Vec<std::collections::HashMap<String, String>> {
        let reply: redis::streams::StreamRangeReply =
            self.query(redis::cmd("XRANGE").arg(stream).arg("-").arg("+"));
        reply
            .ids
            .into_iter()
            .map(|entry| {
                entry
                    .map
                    .iter()
                    .map(|(field, value)| {
                        let value: String = redis::from_redis_value(value).unwrap_or_default();
                        (field.clone(), value)
                    })
                    .collect()
            })
            .collect()
    }

    /// How many entries `group` has not acknowledged on `stream`.
    pub fn pending(&self, stream: &str, group: &str) -> usize {
        let reply: redis::streams::StreamPendingReply =
            self.query(redis::cmd("XPENDING").arg(stream).arg(group));
        reply.count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// Waits until `done` holds, for at most `timeout`; whether it did.
pub fn eventually(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}
