//! Three participants editing one workspace through an in-memory relay converge
//! under random interleavings, disconnects, catch-up and duplicate delivery; a
//! blob the room's key did not seal is never applied; a reader cannot append.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeSet, VecDeque};

use automerge::{AutoCommit, ChangeHash};
use charter::sync::client::{SyncClient, SyncCursor, SyncEvent, SyncKeys, SyncStatus};
use charter::sync::crypto::{
    BlobKind, ReadKeys, WorkspaceSecret, seal, verify_write_token, write_token_hash,
};
use charter::sync::protocol::{ClientFrame, ErrorCode, RoomId, ServerFrame};
use charter::workspace::{Health, ObjectiveDraft, WorkspaceDoc};
use proptest::prelude::*;

const NOW: i64 = 1_780_000_000_000;
const CHANNEL: u16 = 1;
const PEOPLE: usize = 3;

fn secret() -> WorkspaceSecret {
    WorkspaceSecret::from_bytes([42; 32])
}

// ------------------------------------------------------------------ the relay

/// One connection's view of the room on the relay.
struct Connection {
    writable: bool,
    queue: VecDeque<ServerFrame>,
}

/// The relay's behaviour for one room, as the design describes it: a log of
/// sealed blobs with dense sequence numbers, catch-up from a cursor, live
/// fan-out to the other connections, appends only with the write token.
struct Relay {
    room: RoomId,
    token_hash: [u8; 32],
    log: Vec<(u64, Vec<u8>)>,
    head: u64,
    connections: Vec<Option<Connection>>,
}

impl Relay {
    fn new(people: usize) -> Relay {
        Relay {
            room: secret().room_id(),
            token_hash: write_token_hash(&secret().write_token()),
            log: Vec::new(),
            head: 0,
            connections: (0..people).map(|_| None).collect(),
        }
    }

    fn handle(&mut self, who: usize, frame: ClientFrame) {
        match frame {
            ClientFrame::Hello {
                channel,
                room,
                write_token,
                cursor,
                ..
            } => {
                assert_eq!(room, self.room);
                let writable = write_token
                    .as_ref()
                    .is_some_and(|token| verify_write_token(&self.token_hash, token));
                let mut queue = VecDeque::from([ServerFrame::Welcome {
                    channel,
                    head: self.head,
                    writable,
                }]);
                queue.extend(self.log.iter().filter(|(seq, _)| *seq > cursor).map(
                    |(seq, blob)| ServerFrame::Entry {
                        channel,
                        seq: *seq,
                        blob: blob.clone(),
                    },
                ));
                self.connections[who] = Some(Connection { writable, queue });
            }
            ClientFrame::Append {
                channel,
                request,
                blob,
            } => {
                let writable = self.connections[who]
                    .as_ref()
                    .is_some_and(|connection| connection.writable);
                let answer = if writable {
                    let seq = self.store(blob.clone());
                    self.fan_out(who, ServerFrame::Entry { channel, seq, blob });
                    ServerFrame::Ack {
                        channel,
                        request,
                        seq,
                    }
                } else {
                    ServerFrame::Error {
                        channel: Some(channel),
                        request: Some(request),
                        code: ErrorCode::Unauthorized,
                        message: "This link is read-only.".into(),
                    }
                };
                if let Some(connection) = self.connections[who].as_mut() {
                    connection.queue.push_back(answer);
                }
            }
            ClientFrame::Ephemeral { channel, blob } => {
                self.fan_out(who, ServerFrame::Ephemeral { channel, blob });
            }
            other => panic!("the clients never send {other:?}"),
        }
    }

    fn store(&mut self, blob: Vec<u8>) -> u64 {
        self.head += 1;
        self.log.push((self.head, blob));
        self.head
    }

    fn fan_out(&mut self, from: usize, frame: ServerFrame) {
        for (who, connection) in self.connections.iter_mut().enumerate() {
            if let Some(connection) = connection
                && who != from
            {
                connection.queue.push_back(frame.clone());
            }
        }
    }

    fn next_frame(&mut self, who: usize) -> Option<ServerFrame> {
        self.connections[who].as_mut()?.queue.pop_front()
    }

    fn drop_connection(&mut self, who: usize) {
        self.connections[who] = None;
    }
}

// --------------------------------------------------------------- participants

struct Participant {
    ws: WorkspaceDoc,
    client: SyncClient,
    online: bool,
    /// Entries already delivered, for duplicate delivery.
    delivered: Vec<ServerFrame>,
    events: Vec<SyncEvent>,
}

impl Participant {
    fn receive(&mut self, frame: ServerFrame) -> Vec<SyncEvent> {
        if matches!(frame, ServerFrame::Entry { .. }) {
            self.delivered.push(frame.clone());
        }
        let events = self.client.receive(self.ws.automerge(), frame);
        self.events.extend(events.iter().cloned());
        events
    }
}

/// Everything the people did, to check against the result.
#[derive(Default)]
struct Record {
    added: BTreeSet<String>,
    deleted: BTreeSet<String>,
    changes: Vec<ChangeHash>,
}

struct World {
    relay: Relay,
    people: Vec<Participant>,
    record: Record,
    now: i64,
}

fn fork(ws: &mut WorkspaceDoc, author: &str) -> WorkspaceDoc {
    let bytes = ws.automerge().save();
    WorkspaceDoc::from_automerge(
        AutoCommit::load(&bytes).expect("a saved workspace loads"),
        author,
    )
}

impl World {
    /// Three editors of one workspace, all online.
    fn new() -> World {
        let mut first = WorkspaceDoc::create("Acme Ltd", "All offices", "Ada", NOW).unwrap();
        let docs = vec![fork(&mut first, "Bo"), fork(&mut first, "Cy"), first];
        let mut world = World {
            relay: Relay::new(PEOPLE),
            people: docs
                .into_iter()
                .map(|ws| Participant {
                    ws,
                    client: SyncClient::new(
                        SyncKeys::editor(&secret()),
                        SyncCursor::default(),
                        CHANNEL,
                    ),
                    online: false,
                    delivered: Vec::new(),
                    events: Vec::new(),
                })
                .collect(),
            record: Record::default(),
            now: NOW,
        };
        for who in 0..PEOPLE {
            world.reconnect(who);
        }
        world
    }

    fn tick(&mut self) -> i64 {
        self.now += 1;
        self.now
    }

    fn objective_ids(&self, who: usize) -> Vec<String> {
        let state = self.people[who].ws.read().unwrap();
        state.objectives.into_keys().collect()
    }

    fn edit(&mut self, who: usize, edit: &Edit) {
        let now = self.tick();
        let ids = self.objective_ids(who);
        let ws = &mut self.people[who].ws;
        match edit {
            Edit::Update { pick, draft } if !ids.is_empty() => {
                ws.edit_objective(&ids[pick % ids.len()], draft, now)
                    .unwrap();
            }
            Edit::Delete { pick } if !ids.is_empty() => {
                let id = &ids[pick % ids.len()];
                ws.delete_objective(id, now).unwrap();
                self.record.deleted.insert(id.clone());
            }
            Edit::Add { draft } | Edit::Update { draft, .. } => {
                let id = ws.add_objective(draft, now).unwrap();
                self.record.added.insert(id);
            }
            Edit::Delete { .. } => return,
        }
        // Edits that change nothing (the same title again) make no change.
        if let Some(change) = ws.automerge().get_last_local_change() {
            self.record.changes.push(change.hash());
        }
    }

    fn push(&mut self, who: usize) -> bool {
        let person = &mut self.people[who];
        match person.client.outgoing(person.ws.automerge()).unwrap() {
            Some(frame) => {
                assert!(person.online, "only a welcomed client appends");
                self.relay.handle(who, frame);
                true
            }
            None => false,
        }
    }

    fn deliver(&mut self, who: usize) -> bool {
        match self.relay.next_frame(who) {
            Some(frame) => {
                self.people[who].receive(frame);
                true
            }
            None => false,
        }
    }

    fn duplicate(&mut self, who: usize, pick: usize) {
        let person = &mut self.people[who];
        if person.delivered.is_empty() {
            return;
        }
        let frame = person.delivered[pick % person.delivered.len()].clone();
        let heads = person.ws.automerge().get_heads();
        let events = person.receive(frame);
        assert!(events.is_empty(), "a duplicate did something: {events:?}");
        assert_eq!(person.ws.automerge().get_heads(), heads);
    }

    fn disconnect(&mut self, who: usize) {
        self.relay.drop_connection(who);
        self.people[who].client.disconnected();
        self.people[who].online = false;
        assert_eq!(self.people[who].client.status(), SyncStatus::Offline);
    }

    fn reconnect(&mut self, who: usize) {
        if self.people[who].online {
            self.disconnect(who);
        }
        let hello = self.people[who].client.connected();
        self.people[who].online = true;
        self.relay.handle(who, hello);
    }

    fn run(&mut self, action: &Action) {
        match action {
            Action::Edit { who, edit } => self.edit(*who, edit),
            Action::Push { who } => {
                self.push(*who);
            }
            Action::Deliver { who, count } => {
                for _ in 0..*count {
                    self.deliver(*who);
                }
            }
            Action::Duplicate { who, pick } => self.duplicate(*who, *pick),
            Action::Disconnect { who } => {
                if self.people[*who].online {
                    self.disconnect(*who);
                }
            }
            Action::Reconnect { who } => self.reconnect(*who),
        }
    }

    /// Everyone reconnects, then frames flow until nobody has anything left to send.
    fn settle(&mut self) {
        for who in 0..PEOPLE {
            self.reconnect(who);
        }
        for _round in 0..10_000 {
            let mut progress = false;
            for who in 0..PEOPLE {
                while self.deliver(who) {
                    progress = true;
                }
                progress |= self.push(who);
            }
            if !progress {
                return;
            }
        }
        panic!("the participants never stopped sending");
    }

    fn check_converged(&mut self) {
        let relay_head = self.relay.head;
        let states: Vec<_> = self.people.iter().map(|p| p.ws.read().unwrap()).collect();
        for (who, state) in states.iter().enumerate() {
            assert_eq!(
                state, &states[0],
                "participant {who} differs from participant 0"
            );
        }
        let expected: BTreeSet<String> = self
            .record
            .added
            .difference(&self.record.deleted)
            .cloned()
            .collect();
        let found: BTreeSet<String> = states[0].objectives.keys().cloned().collect();
        assert_eq!(found, expected, "objectives lost or resurrected");
        for (who, person) in self.people.iter_mut().enumerate() {
            for hash in &self.record.changes {
                assert!(
                    person.ws.automerge().get_change_by_hash(hash).is_some(),
                    "participant {who} lacks change {hash}"
                );
            }
            assert_eq!(person.client.status(), SyncStatus::UpToDate);
            assert_eq!(person.client.cursor().seq, relay_head);
            assert_eq!(person.client.outgoing(person.ws.automerge()).unwrap(), None);
            let unexpected: Vec<_> = person
                .events
                .iter()
                .filter(|e| !matches!(e, SyncEvent::Changed | SyncEvent::CursorMoved))
                .collect();
            assert!(unexpected.is_empty(), "participant {who}: {unexpected:?}");
        }
    }
}

// ----------------------------------------------------------------- strategies

#[derive(Debug, Clone)]
enum Edit {
    Add {
        draft: Box<ObjectiveDraft>,
    },
    Update {
        pick: usize,
        draft: Box<ObjectiveDraft>,
    },
    Delete {
        pick: usize,
    },
}

#[derive(Debug, Clone)]
enum Action {
    Edit { who: usize, edit: Edit },
    Push { who: usize },
    Deliver { who: usize, count: usize },
    Duplicate { who: usize, pick: usize },
    Disconnect { who: usize },
    Reconnect { who: usize },
}

fn draft() -> impl Strategy<Value = ObjectiveDraft> {
    (
        "[A-Z][a-z]{0,6}( [a-z]{1,6})?",
        "[a-z ]{0,16}",
        proptest::option::of(0u8..100),
        0..Health::ALL.len(),
    )
        .prop_map(|(title, description, target, health)| ObjectiveDraft {
            title,
            description,
            target: target.map(|t| t.to_string()).unwrap_or_default(),
            unit: "%".into(),
            direction: Some(charter::workspace::measurements::Direction::AtMost),
            health: Health::ALL[health],
            health_reason: "judged in the meeting".into(),
            ..Default::default()
        })
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => draft().prop_map(|draft| Edit::Add { draft: Box::new(draft) }),
        3 => (any::<usize>(), draft()).prop_map(|(pick, draft)| Edit::Update {
            pick,
            draft: Box::new(draft)
        }),
        1 => any::<usize>().prop_map(|pick| Edit::Delete { pick }),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let who = 0..PEOPLE;
    prop_oneof![
        4 => (who.clone(), edit()).prop_map(|(who, edit)| Action::Edit { who, edit }),
        3 => who.clone().prop_map(|who| Action::Push { who }),
        4 => (who.clone(), 1..4usize).prop_map(|(who, count)| Action::Deliver { who, count }),
        1 => (who.clone(), any::<usize>()).prop_map(|(who, pick)| Action::Duplicate { who, pick }),
        1 => who.clone().prop_map(|who| Action::Disconnect { who }),
        1 => who.prop_map(|who| Action::Reconnect { who }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn three_participants_converge(actions in proptest::collection::vec(action(), 1..100)) {
        let mut world = World::new();
        for action in &actions {
            world.run(action);
        }
        world.settle();
        world.check_converged();
    }
}

// ------------------------------------------------------------- fixed scenarios

#[test]
fn offline_edits_on_both_sides_meet_after_reconnecting() {
    let mut world = World::new();
    world.settle();
    world.disconnect(0);
    world.disconnect(1);
    for who in [0, 1] {
        for n in 0..3 {
            let draft = ObjectiveDraft {
                title: format!("Offline {who}.{n}"),
                ..Default::default()
            };
            world.edit(
                who,
                &Edit::Add {
                    draft: Box::new(draft),
                },
            );
        }
    }
    world.settle();
    world.check_converged();
    assert_eq!(world.objective_ids(2).len(), 6);
}

#[test]
fn blobs_of_another_room_or_key_are_reported_and_never_applied() {
    let mut world = World::new();
    let intruder = ObjectiveDraft {
        title: "Intruder".into(),
        ..Default::default()
    };
    world.edit(
        0,
        &Edit::Add {
            draft: Box::new(ObjectiveDraft {
                title: "Genuine".into(),
                ..Default::default()
            }),
        },
    );
    world.settle();

    // Changes made on a copy, sealed for another room and with another key,
    // then slipped into this room's log by a relay that mixes rooms up.
    let mut copy = fork(&mut world.people[0].ws, "Mallory");
    copy.add_objective(&intruder, NOW).unwrap();
    let changes = copy.automerge().save_after(&[]);
    let other = WorkspaceSecret::from_bytes([9; 32]);
    let mine = secret();
    let other_room = seal(
        &mine.content_key(),
        &other.room_id(),
        BlobKind::Changes,
        &changes,
    )
    .unwrap();
    let wrong_key = seal(
        &other.content_key(),
        &mine.room_id(),
        BlobKind::Changes,
        &changes,
    )
    .unwrap();
    let first_bad = world.relay.store(other_room);
    let second_bad = world.relay.store(wrong_key);
    world.edit(
        1,
        &Edit::Add {
            draft: Box::new(ObjectiveDraft {
                title: "After the bad ones".into(),
                ..Default::default()
            }),
        },
    );
    assert!(world.push(1));

    // A newcomer catches up from the start and meets both bad blobs on the way.
    let mut newcomer = Participant {
        ws: fork(&mut world.people[2].ws, "Newcomer"),
        client: SyncClient::new(SyncKeys::editor(&secret()), SyncCursor::default(), CHANNEL),
        online: true,
        delivered: Vec::new(),
        events: Vec::new(),
    };
    world.relay.connections.push(None);
    let who = world.relay.connections.len() - 1;
    world.relay.handle(who, newcomer.client.connected());
    while let Some(frame) = world.relay.next_frame(who) {
        newcomer.receive(frame);
    }

    let unreadable: Vec<u64> = newcomer
        .events
        .iter()
        .filter_map(|event| match event {
            SyncEvent::Unreadable { seq, .. } => Some(*seq),
            _ => None,
        })
        .collect();
    assert_eq!(unreadable, [first_bad, second_bad]);
    let titles: BTreeSet<String> = newcomer
        .ws
        .read()
        .unwrap()
        .objectives
        .into_values()
        .map(|o| o.title)
        .collect();
    assert!(!titles.contains("Intruder"), "{titles:?}");
    assert!(titles.contains("Genuine") && titles.contains("After the bad ones"));
    assert_eq!(newcomer.client.cursor().seq, world.relay.head);
    assert_eq!(newcomer.client.status(), SyncStatus::UpToDate);
}

#[test]
fn a_reader_cannot_append() {
    let mut world = World::new();
    world.settle();
    let keys: ReadKeys = secret().read_keys();
    let mut reader = Participant {
        ws: fork(&mut world.people[0].ws, "Reader"),
        client: SyncClient::new(SyncKeys::reader(&keys), SyncCursor::default(), CHANNEL),
        online: true,
        delivered: Vec::new(),
        events: Vec::new(),
    };
    assert!(!SyncKeys::reader(&keys).can_write());
    world.relay.connections.push(None);
    let who = world.relay.connections.len() - 1;
    world.relay.handle(who, reader.client.connected());
    while let Some(frame) = world.relay.next_frame(who) {
        reader.receive(frame);
    }
    assert_eq!(reader.events[0], SyncEvent::ReadOnly);
    assert!(
        reader.events[1..]
            .iter()
            .all(|e| *e == SyncEvent::CursorMoved)
    );
    assert_eq!(reader.client.status(), SyncStatus::UpToDate);

    // Even with a local change (the UI offers no way to make one) nothing goes out.
    reader
        .ws
        .add_objective(
            &ObjectiveDraft {
                title: "Not allowed".into(),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(reader.client.outgoing(reader.ws.automerge()).unwrap(), None);

    // An append forged without the token is refused by the relay.
    let stored = world.relay.log.len();
    let forged = ClientFrame::Append {
        channel: CHANNEL,
        request: 0,
        blob: vec![0; 64],
    };
    world.relay.handle(who, forged);
    assert!(matches!(
        world.relay.next_frame(who),
        Some(ServerFrame::Error {
            code: ErrorCode::Unauthorized,
            ..
        })
    ));
    assert_eq!(world.relay.log.len(), stored);

    // The reader still receives what editors write.
    world.edit(
        0,
        &Edit::Add {
            draft: Box::new(ObjectiveDraft {
                title: "From an editor".into(),
                ..Default::default()
            }),
        },
    );
    assert!(world.push(0));
    while let Some(frame) = world.relay.next_frame(who) {
        reader.receive(frame);
    }
    let titles: Vec<String> = reader
        .ws
        .read()
        .unwrap()
        .objectives
        .into_values()
        .map(|o| o.title)
        .collect();
    assert!(titles.contains(&"From an editor".to_owned()), "{titles:?}");
}

#[test]
fn presence_reaches_the_others_and_is_never_stored() {
    let mut world = World::new();
    world.settle();
    let stored = world.relay.log.len();
    let frame = world.people[0]
        .client
        .presence(b"Ada edits objective 1")
        .unwrap();
    world.relay.handle(0, frame);
    for who in 1..PEOPLE {
        let frame = world.relay.next_frame(who).expect("fanned out");
        let events = world.people[who].receive(frame);
        assert_eq!(
            events,
            [SyncEvent::Presence {
                payload: b"Ada edits objective 1".to_vec(),
                editor: true,
            }]
        );
    }
    assert!(
        world.relay.next_frame(0).is_none(),
        "not echoed to the sender"
    );
    assert_eq!(world.relay.log.len(), stored);
}
