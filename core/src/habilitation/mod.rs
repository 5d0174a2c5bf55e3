//! Habilitations: the model is `dude_modele::habilitation` (re-exported here); this module
//! adds what needs the outside world: partner access tokens ([`jeton`]), the
//! administrators' identity provider ([`oidc`]), casbin ([`casbin_authorizer`]), the live
//! snapshot reloaded from the database ([`gardien`]), and the operator tokens.

pub use dude_modele::habilitation::*;

pub mod casbin_authorizer;
pub mod gardien;
pub mod jeton;
pub mod oidc;

/// Static bearer tokens of administrators (until OpenID Connect lands).
#[derive(Debug, Clone, Default)]
pub struct AdminTokens(Vec<String>);

impl AdminTokens {
    pub fn add(&mut self, token: impl Into<String>) {
        self.0.push(token.into());
    }

    pub fn is_admin(&self, token: &str) -> bool {
        self.0.iter().fold(false, |acc, t| acc | constant_time_eq(t.as_bytes(), token.as_bytes()))
    }

    pub fn tokens(&self) -> &[String] {
        &self.0
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_tokens() {
        let mut t = AdminTokens::default();
        t.add("adm-0123456789");
        assert!(t.is_admin("adm-0123456789") && !t.is_admin("adm-012345678"));
    }
}
