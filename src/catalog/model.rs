//! The catalog model: the serde types behind every catalog file.
//!
//! These types *are* the file format. A TOML or JSON catalog file
//! deserializes into one [`CatalogFile`]; unknown fields are refused
//! (`deny_unknown_fields`) so a typo never vanishes silently. The JSON
//! Schema in `docs/catalog.schema.json` is generated from these types.
//!
//! Field order here is the order in which `export` writes fields, so keep
//! it readable: identity first, then content, then provenance.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::PartialDate;

/// Text in the catalog's languages; any of them may be missing, not all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ru: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kk: Option<String>,
}

impl Localized {
    pub fn is_empty(&self) -> bool {
        self.en.is_none() && self.ru.is_none() && self.kk.is_none()
    }

    /// The text in `lang`, or the first other language that has one, with
    /// the language actually used.
    pub fn get(&self, lang: Lang) -> Option<(&str, Lang)> {
        let order = match lang {
            Lang::En => [Lang::En, Lang::Ru, Lang::Kk],
            Lang::Ru => [Lang::Ru, Lang::En, Lang::Kk],
            Lang::Kk => [Lang::Kk, Lang::Ru, Lang::En],
        };
        order.into_iter().find_map(|l| {
            let text = match l {
                Lang::En => self.en.as_deref(),
                Lang::Ru => self.ru.as_deref(),
                Lang::Kk => self.kk.as_deref(),
            };
            text.map(|t| (t, l))
        })
    }

    /// The best text for English readers; empty only if no language has one.
    pub fn best(&self) -> &str {
        self.get(Lang::En).map(|(t, _)| t).unwrap_or("")
    }
}

/// A language of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ru,
    Kk,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
            Lang::Kk => "kk",
        }
    }
}

/// A type's name as words for messages: `ObligationStatus` is
/// "obligation status".
fn type_words(name: &str) -> String {
    let mut words = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

/// Declares a string enum with its snake_case spellings in one place, so the
/// file format, the database and the CLI never disagree on a value.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} `{}`, expected one of: {}",
                        type_words(stringify!($name)),
                        s,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

string_enum!(
    /// How far a fact has been checked. Mirrors the fact sheet's labels:
    /// `verified` [V], `secondary` [V-sec] (only through a news item or an
    /// aggregator), `unverified` [U]. Omitted in a file, it is `verified`.
    Confidence {
        Verified => "verified",
        Secondary => "secondary",
        Unverified => "unverified",
    }
);

impl Confidence {
    pub fn is_default(&self) -> bool {
        *self == Confidence::Verified
    }
}

// Not derived: `string_enum!` declares the derives for every enum it
// makes, and only this one has a default.
#[allow(clippy::derivable_impls)]
impl Default for Confidence {
    fn default() -> Self {
        Confidence::Verified
    }
}

string_enum!(
    /// The kind of a source in the bibliography.
    SourceKind {
        Article => "article",
        Book => "book",
        LegalText => "legal_text",
        Register => "register",
        Official => "official",
        News => "news",
        Analysis => "analysis",
        Compilation => "compilation",
        Other => "other",
    }
);

string_enum!(
    /// The kind of a legal or policy document.
    DocumentKind {
        Constitution => "constitution",
        Law => "law",
        Code => "code",
        Strategy => "strategy",
        Address => "address",
        Concept => "concept",
        Programme => "programme",
        ActionPlan => "action_plan",
        Decree => "decree",
        Order => "order",
        Decision => "decision",
        Treaty => "treaty",
        Protocol => "protocol",
        Agreement => "agreement",
        Memorandum => "memorandum",
        Declaration => "declaration",
        Other => "other",
    }
);

string_enum!(
    /// Whose law a document is.
    Jurisdiction {
        Kz => "kz",
        Eaeu => "eaeu",
        Bilateral => "bilateral",
        Multilateral => "multilateral",
    }
);

string_enum!(
    /// Where a document stands. For agreements with an event history, the
    /// stage derived from the history is the authority; this field is the
    /// document's own legal status as a text.
    DocumentStatus {
        Draft => "draft",
        Adopted => "adopted",
        Signed => "signed",
        InForce => "in_force",
        PartlyInForce => "partly_in_force",
        Expired => "expired",
        Repealed => "repealed",
        Superseded => "superseded",
        Unknown => "unknown",
    }
);

string_enum!(
    /// A typed relation from one document to another (ELI relation names).
    RelationKind {
        Amends => "amends",
        Repeals => "repeals",
        Supersedes => "supersedes",
        Implements => "implements",
        BasedOn => "based_on",
        Ratifies => "ratifies",
        Approves => "approves",
        AnnexTo => "annex_to",
    }
);

string_enum!(
    /// The structural unit a provision is.
    ProvisionKind {
        Preamble => "preamble",
        Part => "part",
        Section => "section",
        Chapter => "chapter",
        Article => "article",
        Paragraph => "paragraph",
        Subparagraph => "subparagraph",
        Point => "point",
        Annex => "annex",
        Item => "item",
    }
);

string_enum!(
    /// Whether a provision's text is the official wording or our summary.
    TextKind {
        Summary => "summary",
        Official => "official",
    }
);

string_enum!(
    /// A node of a strategic framework.
    NodeKind {
        Goal => "goal",
        Challenge => "challenge",
        Objective => "objective",
        Direction => "direction",
        Priority => "priority",
        Task => "task",
    }
);

string_enum!(
    /// How a provision serves a framework node.
    LinkKind {
        Implements => "implements",
        Supports => "supports",
        References => "references",
    }
);

string_enum!(
    /// The kind of an agency or other actor.
    AgencyKind {
        Head => "head_of_state",
        Parliament => "parliament",
        Government => "government",
        Ministry => "ministry",
        Committee => "committee",
        Department => "department",
        Service => "service",
        Office => "office",
        LocalExecutive => "local_executive",
        Court => "court",
        UnionBody => "union_body",
        StateGroup => "state_group",
        Private => "private_actor",
        Other => "other",
    }
);

string_enum!(
    /// How one agency gave way to another.
    SuccessionKind {
        RenamedTo => "renamed_to",
        MergedInto => "merged_into",
        SplitInto => "split_into",
        FunctionsTransferredTo => "functions_transferred_to",
    }
);

string_enum!(
    /// What part an agency plays in an obligation.
    Role {
        Responsible => "responsible",
        CoExecutor => "co_executor",
        ReportsTo => "reports_to",
        Beneficiary => "beneficiary",
    }
);

string_enum!(
    /// The deontic modality of an obligation.
    Modality {
        Duty => "duty",
        Power => "power",
        Right => "right",
        Permission => "permission",
        Prohibition => "prohibition",
    }
);

string_enum!(
    /// Where an obligation stands.
    ObligationStatus {
        Pending => "pending",
        Active => "active",
        Fulfilled => "fulfilled",
        Overdue => "overdue",
        Suspended => "suspended",
        Lapsed => "lapsed",
        Repealed => "repealed",
    }
);

string_enum!(
    /// How often a recurring obligation falls due.
    Every {
        Year => "year",
        Month => "month",
    }
);

string_enum!(
    /// The kind of a partner.
    PartnerKind {
        State => "state",
        Bloc => "bloc",
        Organisation => "organisation",
        Process => "process",
    }
);

string_enum!(
    /// A stage in the life of an agreement. The order of the variants is the
    /// usual order of a treaty's life; `check` uses it to find impossible
    /// histories (in force before signed).
    Stage {
        Proposed => "proposed",
        FeasibilityStudy => "feasibility_study",
        Negotiating => "negotiating",
        TextAgreed => "text_agreed",
        Signed => "signed",
        Ratified => "ratified",
        ProvisionallyApplied => "provisionally_applied",
        InForce => "in_force",
        Suspended => "suspended",
        Terminated => "terminated",
        Expired => "expired",
    }
);

impl ObligationStatus {
    /// Whether a recurring duty in this status still falls due: not once
    /// it is fulfilled, lapsed or repealed, nor while it is suspended.
    pub fn recurs(self) -> bool {
        matches!(
            self,
            ObligationStatus::Pending | ObligationStatus::Active | ObligationStatus::Overdue
        )
    }
}

impl Stage {
    /// Stages that only make sense after the instrument was signed.
    pub fn needs_signature(self) -> bool {
        matches!(
            self,
            Stage::Ratified
                | Stage::ProvisionallyApplied
                | Stage::InForce
                | Stage::Suspended
                | Stage::Terminated
                | Stage::Expired
        )
    }
}

string_enum!(
    /// Whether an indicator counts a stock at a moment or a flow over a period.
    Measure {
        Stock => "stock",
        Flow => "flow",
        Balance => "balance",
    }
);

fn is_false(b: &bool) -> bool {
    !*b
}

/// One catalog file. Any file may hold any of these sections; a file holds
/// at most one `document` (its provisions, relations, links, obligations,
/// parties and events belong to it) and at most one `framework` (its nodes
/// belong to it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Document>,
    #[serde(default, rename = "relation", skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    #[serde(default, rename = "party", skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(default, rename = "event", skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<StatusEvent>,
    #[serde(default, rename = "provision", skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<Provision>,
    #[serde(default, rename = "link", skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, rename = "obligation", skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Obligation>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<Framework>,
    #[serde(default, rename = "node", skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<Node>,

    #[serde(default, rename = "source", skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
    #[serde(default, rename = "agency", skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<Agency>,
    #[serde(default, rename = "succession", skip_serializing_if = "Vec::is_empty")]
    pub successions: Vec<Succession>,
    #[serde(default, rename = "partner", skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<Partner>,
    #[serde(default, rename = "claim", skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    #[serde(default, rename = "indicator", skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
}

impl CatalogFile {
    /// How many records the list `section` holds, by its name in the file
    /// (`source`, `obligation.history`; `document` and `framework` hold
    /// one or none); `None` for a name that is no list of records.
    pub fn records_in(&self, section: &str) -> Option<usize> {
        Some(match section {
            "document" => usize::from(self.document.is_some()),
            "relation" => self.relations.len(),
            "party" => self.parties.len(),
            "event" => self.events.len(),
            "provision" => self.provisions.len(),
            "link" => self.links.len(),
            "obligation" => self.obligations.len(),
            "obligation.history" => self.obligations.iter().map(|o| o.history.len()).sum(),
            "framework" => usize::from(self.framework.is_some()),
            "node" => self.nodes.len(),
            "source" => self.sources.len(),
            "agency" => self.agencies.len(),
            "succession" => self.successions.len(),
            "partner" => self.partners.len(),
            "claim" => self.claims.len(),
            "indicator" => self.indicators.len(),
            "indicator.value" => self.indicators.iter().map(|i| i.values.len()).sum(),
            _ => return None,
        })
    }
}

/// An entry of the bibliography. Every fact in the catalog names one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub kind: SourceKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The journal, site or publisher.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
    /// An http or https address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A legal or policy document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub id: String,
    pub kind: DocumentKind,
    /// A stable work identifier in the Akoma Ntoso style,
    /// e.g. `/akn/kz/act/2011-07-22/477-IV`.
    pub work_id: String,
    /// The official number, e.g. `477-IV`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub title: Localized,
    /// The agency that issued or concluded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    pub jurisdiction: Jurisdiction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_force: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repealed: Option<PartialDate>,
    pub status: DocumentStatus,
    /// Where the text can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A typed relation from the file's document to another document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    #[serde(rename = "type")]
    pub kind: RelationKind,
    pub target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A unit of a document's text. Provisions form a tree; siblings keep the
/// order in which the file lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// An Akoma Ntoso style eId, unique within the document, e.g.
    /// `chp_2__art_9__para_1`. Stable: it is the provision's anchor.
    pub eid: String,
    /// The parent's eId. When absent, the eId's prefix before the last `__`
    /// is the parent, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub kind: ProvisionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Required when `text` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_kind: Option<TextKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<PartialDate>,
    /// Defaults to the document's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A typed link from a provision of the file's document to a framework node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub provision: String,
    pub node: String,
    #[serde(rename = "type")]
    pub kind: LinkKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// When a recurring obligation falls due: `{ every = "year", by = "01-15" }`
/// or `{ every = "month", by = "10" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recurrence {
    pub every: Every,
    /// `MM-DD` for a yearly duty, `DD` for a monthly one.
    pub by: String,
}

/// A duty, power, right, permission or prohibition that a provision puts on
/// an agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: String,
    /// The eId of a provision of the file's document.
    pub provision: String,
    pub agency: String,
    pub role: Role,
    pub modality: Modality,
    /// The action in a few words.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurrence: Option<Recurrence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
    /// The obligation's status changes, oldest first. With none recorded the
    /// obligation is `active`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<ObligationEvent>,
}

/// A dated change of an obligation's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObligationEvent {
    pub status: ObligationStatus,
    pub date: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    /// How far the change can be trusted: an inferred one (a lapse read
    /// off a plan's end date) is `unverified`.
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
    /// Kept although it contradicts the changes before it; `note` says
    /// why (as `record obligation --force --note`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub forced: bool,
}

/// A party to the file's document (which makes it an agreement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub partner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A dated step in an agreement's life. History is append-only: once
/// recorded, an event is never changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusEvent {
    pub stage: Stage,
    /// Precision is kept: `2015-06` means "in June 2015", never 1 June.
    pub date: PartialDate,
    /// The party this step concerns, when it differs between parties (a
    /// ratification). Absent: the agreement as a whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
    /// Kept although it contradicts the history (a stage before the
    /// signature it needs, an end before the entry into force); `note`
    /// says why (as `record event --force --note`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub forced: bool,
}

/// A strategic framework: goals or challenges, and the directions under them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub title: Localized,
    /// The document that sets the framework out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A goal, challenge, objective or direction of the file's framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub kind: NodeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub title: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// An agency or other actor that provisions put obligations on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub id: String,
    pub kind: AgencyKind,
    pub name: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbreviation: Option<String>,
    /// Other names people use, in any language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub jurisdiction: Jurisdiction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub established: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abolished: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A dated reorganisation: one agency renamed to, merged into, split into or
/// handing functions to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Succession {
    pub from: String,
    pub to: String,
    #[serde(rename = "type")]
    pub kind: SuccessionKind,
    pub date: PartialDate,
    /// What was transferred, for `functions_transferred_to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A state, bloc, international organisation or process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub id: String,
    pub kind: PartnerKind,
    /// ISO 3166-1 alpha-2 code, for states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    pub name: Localized,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// What a source said about a partner's relations at a given time. Claims
/// sit beside the event history and never feed the derived status: a claim
/// that later sources correct is kept, with the correction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub partner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<String>,
    /// The stage the source says the relation had reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    /// When the claim was made (as of when it speaks).
    pub stated: PartialDate,
    pub statement: String,
    /// How later sources correct it, if they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_source: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// A statistical series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub id: String,
    pub name: Localized,
    pub unit: String,
    pub measure: Measure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, rename = "value", skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<IndicatorValue>,
}

/// One value of a series: at a moment (`2017-06-01`) or over a period
/// (`2017`, or `2017-01/2017-05` for January to May).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    pub period: String,
    #[serde(serialize_with = "serialize_number")]
    pub value: f64,
    /// The value was computed from other figures, not published as such.
    #[serde(default, skip_serializing_if = "is_false")]
    pub derived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Confidence::is_default")]
    pub confidence: Confidence,
}

/// Whole numbers are written without a fraction, so that a population reads
/// `18014200`, not `18014200.0`.
fn serialize_number<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// A period: one partial date, or `start/end` with partial dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: PartialDate,
    pub end: PartialDate,
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('/') {
            Some((a, b)) => {
                let start: PartialDate = a.parse().map_err(|e| format!("{e}"))?;
                let end: PartialDate = b.parse().map_err(|e| format!("{e}"))?;
                if end.latest() < start.earliest() {
                    return Err(format!("period `{s}` ends before it starts"));
                }
                Ok(Period { start, end })
            }
            None => {
                let d: PartialDate = s.parse().map_err(|e| format!("{e}"))?;
                Ok(Period { start: d, end: d })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_value_names_its_type_in_words() {
        let e = "nope".parse::<ObligationStatus>().unwrap_err();
        assert!(
            e.starts_with("unknown obligation status `nope`, expected one of: pending"),
            "{e}"
        );
    }

    /// The file format (serde), the database and the CLI (`as_str`,
    /// `FromStr`) must spell every value the same way.
    fn same_spelling<T>(all: &[T])
    where
        T: Serialize + std::fmt::Display + std::str::FromStr + PartialEq + std::fmt::Debug + Copy,
        T::Err: std::fmt::Debug,
    {
        for v in all {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{v}\""));
            assert_eq!(v.to_string().parse::<T>().unwrap(), *v);
            let back: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(back.as_str().unwrap(), v.to_string());
        }
    }

    #[test]
    fn every_enum_is_spelt_one_way() {
        same_spelling(Confidence::ALL);
        same_spelling(SourceKind::ALL);
        same_spelling(DocumentKind::ALL);
        same_spelling(Jurisdiction::ALL);
        same_spelling(DocumentStatus::ALL);
        same_spelling(RelationKind::ALL);
        same_spelling(ProvisionKind::ALL);
        same_spelling(TextKind::ALL);
        same_spelling(NodeKind::ALL);
        same_spelling(LinkKind::ALL);
        same_spelling(AgencyKind::ALL);
        same_spelling(SuccessionKind::ALL);
        same_spelling(Role::ALL);
        same_spelling(Modality::ALL);
        same_spelling(ObligationStatus::ALL);
        same_spelling(Every::ALL);
        same_spelling(PartnerKind::ALL);
        same_spelling(Stage::ALL);
        same_spelling(Measure::ALL);
        assert_eq!(AgencyKind::Head.to_string(), "head_of_state");
    }

    #[test]
    fn localized_falls_back_in_a_fixed_order() {
        let t = Localized {
            en: None,
            ru: Some("Закон".into()),
            kk: Some("Заң".into()),
        };
        assert_eq!(t.get(Lang::En), Some(("Закон", Lang::Ru)));
        assert_eq!(t.get(Lang::Kk), Some(("Заң", Lang::Kk)));
        assert_eq!(t.best(), "Закон");
    }
}
