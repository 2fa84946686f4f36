use ipnet::IpNet;

use super::Span;

/// A named set of CIDRs whose clients count as LAN for `lan-only` routes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Network {
    pub name: String,
    pub cidrs: Vec<IpNet>,
    pub span: Span,
}
