//! The real binary: `dude serve --demo` started in a directory of its own, its stdout
//! read for the URL, the demo applications and the administrator token, its stderr (the
//! log) written to a file the test can read.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The `dude` binary, its adapters compiled into the tests' shared cache (not into
/// `data/cwasm` of the working directory).
pub fn dude() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dude"));
    c.env("DUDE_CWASM_DIR", PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/cwasm-tests"));
    c
}

/// A demo application printed at start: client id, secret, agent (id, nom, prénom).
#[derive(Debug, Clone)]
pub struct AppDemo {
    pub client_id: String,
    pub secret: String,
    pub agent: (String, String, String),
}

/// Asks `base` (an instance or a balancer) for an access token of France Travail's live
/// API (`realm=/partenaire`) for the demo application `app`, with these scopes.
pub async fn demander_jeton(http: &reqwest::Client, base: &str, app: &AppDemo, portees: &str) -> reqwest::Response {
    http.post(format!("{base}/connexion/oauth2/access_token?realm=%2Fpartenaire"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.secret.as_str()),
            ("scope", portees),
        ])
        .send()
        .await
        .unwrap()
}

/// A running `dude serve --demo`.
pub struct DemoServer {
    pub base: String,
    pub apps: Vec<AppDemo>,
    pub admin: String,
    pub dir: PathBuf,
    pub log: PathBuf,
    pub http: reqwest::Client,
    child: Child,
}

impl DemoServer {
    /// Starts in `dir` with `count` demo dossiers and these environment variables.
    pub fn start(dir: &Path, count: u32, env: &[(&str, &str)]) -> Self {
        let log = dir.join("serve.log");
        let mut cmd = dude();
        cmd.args(["serve", "--demo", "--bind", "127.0.0.1:0", "--demo-count", &count.to_string()])
            .current_dir(dir)
            .env_remove("DUDE_MASTER_KEY")
            .env_remove("DATABASE_URL")
            .env_remove("DUDE_LOG")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut lines: Vec<String> = Vec::new();
        while !lines.iter().any(|l| l.contains("--sample")) {
            match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(l) => lines.push(l),
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "serve --demo printed: {lines:?}\nlog: {}",
                        std::fs::read_to_string(&log).unwrap_or_default()
                    );
                }
            }
        }
        let url = lines[0].split("http://").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
        let apps = lines
            .iter()
            .filter(|l| l.contains(" secret ") && l.contains(" agent "))
            .map(|l| {
                // "  cd77-sigma  secret <secret>  agent AG077 DUPONT Anne"
                let w: Vec<&str> = l.split_whitespace().collect();
                AppDemo {
                    client_id: w[0].into(),
                    secret: w[2].into(),
                    agent: (w[4].into(), w[5].into(), w[6..].join(" ")),
                }
            })
            .collect();
        let admin = lines
            .iter()
            .find_map(|l| l.split("administrateur : jeton ").nth(1))
            .expect("the administrator token")
            .trim()
            .to_string();
        Self { base: format!("http://{url}"), apps, admin, dir: dir.into(), log, http: reqwest::Client::new(), child }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An administration request, with the operator's token.
    pub fn administrer(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, self.url(path)).bearer_auth(&self.admin)
    }

    /// An administration resource as JSON (`Null` when it is not JSON).
    pub async fn lire_admin(&self, path: &str) -> serde_json::Value {
        let r = self.administrer(reqwest::Method::GET, path).send().await.unwrap();
        r.json().await.unwrap_or_default()
    }

    pub fn app(&self, client_id: &str) -> &AppDemo {
        self.apps.iter().find(|a| a.client_id == client_id).expect("demo application")
    }

    /// An access token of a demo application.
    pub async fn jeton(&self, client_id: &str) -> String {
        let a = self.app(client_id);
        let r: serde_json::Value = self
            .http
            .post(self.url("/oauth2/token"))
            .basic_auth(&a.client_id, Some(&a.secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["access_token"].as_str().expect("a token").to_string()
    }

    /// A partner request of a demo application, with its token and agent headers.
    pub async fn partenaire(&self, client_id: &str, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let token = self.jeton(client_id).await;
        let a = self.app(client_id);
        self.http
            .request(method, self.url(path))
            .bearer_auth(token)
            .header("pa-identifiant-agent", &a.agent.0)
            .header("pa-nom-agent", &a.agent.1)
            .header("pa-prenom-agent", &a.agent.2)
    }

    /// A demo person living in the 77 and receiving the RSA (`dude demo --sample`):
    /// {"nir", "dateNaissance", …}.
    pub fn personne_rsa_77(&self) -> serde_json::Value {
        let sample = self.commande().args(["demo", "--sample", "200"]).output().unwrap();
        String::from_utf8(sample.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .find(|p| p["departement"] == "77" && p["rsa"] == true)
            .expect("an RSA beneficiary in the 77")
    }

    /// What the server logged so far.
    pub fn journal(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The demo's database URL and key, for the other commands run in its directory.
    pub fn commande(&self) -> Command {
        let mut c = dude();
        c.current_dir(&self.dir).env_remove("DUDE_MASTER_KEY").env_remove("DATABASE_URL");
        c
    }

    /// The server's process id (to send it a signal).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits at most `delai` for the server to exit: its exit code.
    pub fn attendre_sortie(&mut self, delai: Duration) -> Option<i32> {
        let fin = Instant::now() + delai;
        while Instant::now() < fin {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it.
    pub fn arreter(&mut self) {
        let _ = Command::new("kill").arg("-TERM").arg(self.child.id().to_string()).status();
        let fin = Instant::now() + Duration::from_secs(10);
        while Instant::now() < fin {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
