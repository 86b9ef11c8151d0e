<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>Format</name>
        <message>
            <source>just now</source>
            <translation>gerade eben</translation>
        </message>
        <message numerus="yes">
            <source>%n minute(s) ago</source>
            <translation>
                <numerusform>vor %n Minute</numerusform>
                <numerusform>vor %n Minuten</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s) ago</source>
            <translation>
                <numerusform>vor %n Stunde</numerusform>
                <numerusform>vor %n Stunden</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>vor %n Tag</numerusform>
                <numerusform>vor %n Tagen</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 Min.</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 Std. %2 Min.</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 T. %2 Std.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui</name>
        <message>
            <source>"%1" is not an image reference Berth can pull.</source>
            <translation>„%1“ ist keine Abbildreferenz, die Berth beziehen kann.</translation>
        </message>
        <message>
            <source>The registry has no image %1.</source>
            <translation>Die Registry hat kein Abbild %1.</translation>
        </message>
        <message>
            <source>The registry refused access to %1. Log in with "berth login" first.</source>
            <translation>Die Registry verweigert den Zugriff auf %1. Melden Sie sich zuerst mit „berth login“ an.</translation>
        </message>
        <message>
            <source>The registry of %1 could not be reached.</source>
            <translation>Die Registry von %1 ist nicht erreichbar.</translation>
        </message>
        <message>
            <source>The registry sent damaged data for %1; nothing was stored.</source>
            <translation>Die Registry hat beschädigte Daten für %1 gesendet; nichts wurde gespeichert.</translation>
        </message>
        <message>
            <source>The image %1 is not available in a form Berth can use.</source>
            <translation>Das Abbild %1 gibt es in keiner Form, die Berth nutzen kann.</translation>
        </message>
        <message>
            <source>Berth may not write the image %1 to the store.</source>
            <translation>Berth darf das Abbild %1 nicht in den Speicher schreiben.</translation>
        </message>
        <message>
            <source>The image %1 could not be pulled.</source>
            <translation>Das Abbild %1 konnte nicht bezogen werden.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ContainerDetailsView</name>
        <message>
            <source>Logs</source>
            <translation>Protokoll</translation>
        </message>
        <message>
            <source>Stats</source>
            <translation>Statistik</translation>
        </message>
        <message>
            <source>Inspect</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Prozesse</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>%</source>
            <translation>%</translation>
        </message>
        <message>
            <source>CPU %</source>
            <translation>CPU %</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
        <message>
            <source>MiB</source>
            <translation>MiB</translation>
        </message>
        <message>
            <source>Used</source>
            <translation>Belegt</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Grenze</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Netzwerk</translation>
        </message>
        <message>
            <source>KiB/s</source>
            <translation>KiB/s</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Empfangen</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Gesendet</translation>
        </message>
        <message>
            <source>Block I/O</source>
            <translation>Block-E/A</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>Gelesen</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Geschrieben</translation>
        </message>
        <message>
            <source>Inspecting container</source>
            <translation>Container wird untersucht</translation>
        </message>
        <message>
            <source>Could not inspect the container: %1</source>
            <translation>Der Container konnte nicht untersucht werden: %1</translation>
        </message>
        <message>
            <source>Listing processes</source>
            <translation>Prozesse werden aufgelistet</translation>
        </message>
        <message>
            <source>No processes to show: %1</source>
            <translation>Keine Prozesse anzuzeigen: %1</translation>
        </message>
        <message>
            <source>Terminal</source>
            <translation>Terminal</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ContainersModel</name>
        <message>
            <source>Created</source>
            <translation>Erstellt</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Läuft</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <source>Restarting</source>
            <translation>Startet neu</translation>
        </message>
        <message>
            <source>Exited</source>
            <translation>Beendet</translation>
        </message>
        <message>
            <source>Dead</source>
            <translation>Tot</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>Unbekannt</translation>
        </message>
        <message>
            <source>Exited (%1)</source>
            <translation>Beendet (%1)</translation>
        </message>
        <message>
            <source>%1 / %2</source>
            <translation>%1 / %2</translation>
        </message>
        <message>
            <source>%1
ID: %2
Command: %3</source>
            <translation>%1
ID: %2
Befehl: %3</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Abbild</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
        <message>
            <source>Ports</source>
            <translation>Ports</translation>
        </message>
        <message>
            <source>Uptime</source>
            <translation>Laufzeit</translation>
        </message>
        <message>
            <source>Exited (%1), out of memory</source>
            <translation>Beendet (%1), Arbeitsspeicher erschöpft</translation>
        </message>
        <message>
            <source>Exited (%1), out of memory at %2</source>
            <translation>Beendet (%1), Arbeitsspeicher bei %2 erschöpft</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>Gestoppt</translation>
        </message>
        <message>
            <source>Exited (%1) after a stop that was asked for</source>
            <translation>Beendet (%1) nach einem angeforderten Stopp</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ContainersPage</name>
        <message>
            <source>Containers</source>
            <translation>Container</translation>
        </message>
        <message>
            <source>Run…</source>
            <translation>Ausführen…</translation>
        </message>
        <message>
            <source>Run a new container</source>
            <translation>Einen neuen Container ausführen</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Starten</translation>
        </message>
        <message>
            <source>Start the selected containers</source>
            <translation>Die gewählten Container starten</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Stoppen</translation>
        </message>
        <message>
            <source>Stop the selected containers</source>
            <translation>Die gewählten Container stoppen</translation>
        </message>
        <message>
            <source>Restart</source>
            <translation>Neu starten</translation>
        </message>
        <message>
            <source>Restart the selected containers</source>
            <translation>Die gewählten Container neu starten</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Anhalten</translation>
        </message>
        <message>
            <source>Pause the selected containers</source>
            <translation>Die gewählten Container anhalten</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Fortsetzen</translation>
        </message>
        <message>
            <source>Resume the selected paused containers</source>
            <translation>Die gewählten angehaltenen Container fortsetzen</translation>
        </message>
        <message>
            <source>Kill</source>
            <translation>Beenden erzwingen</translation>
        </message>
        <message>
            <source>Kill the selected containers at once</source>
            <translation>Die gewählten Container sofort beenden</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove the selected containers</source>
            <translation>Die gewählten Container entfernen</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Read the container list again</source>
            <translation>Die Containerliste neu lesen</translation>
        </message>
        <message>
            <source>Filter containers</source>
            <translation>Container filtern</translation>
        </message>
        <message>
            <source>No containers yet.
Choose Run… or open Images and run one with a double click.</source>
            <translation>Noch keine Container.
Wählen Sie „Ausführen…“ oder öffnen Sie „Abbilder“ und starten Sie eines per Doppelklick.</translation>
        </message>
        <message>
            <source>Listing containers</source>
            <translation>Container werden aufgelistet</translation>
        </message>
        <message>
            <source>%1 running, %2 in all</source>
            <translation>%1 laufen, %2 insgesamt</translation>
        </message>
        <message>
            <source>The list of containers could not be read.</source>
            <translation>Die Containerliste konnte nicht gelesen werden.</translation>
        </message>
        <message numerus="yes">
            <source>Remove %n container(s)?</source>
            <translation>
                <numerusform>%n Container entfernen?</numerusform>
                <numerusform>%n Container entfernen?</numerusform>
            </translation>
        </message>
        <message>
            <source>Running containers will be killed first.</source>
            <translation>Laufende Container werden zuerst beendet.</translation>
        </message>
        <message>
            <source>Remove Containers</source>
            <translation>Container entfernen</translation>
        </message>
        <message>
            <source>Starting %1</source>
            <translation>%1 wird gestartet</translation>
        </message>
        <message>
            <source>Stopping %1</source>
            <translation>%1 wird gestoppt</translation>
        </message>
        <message>
            <source>Restarting %1</source>
            <translation>%1 wird neu gestartet</translation>
        </message>
        <message>
            <source>Pausing %1</source>
            <translation>%1 wird angehalten</translation>
        </message>
        <message>
            <source>Resuming %1</source>
            <translation>%1 wird fortgesetzt</translation>
        </message>
        <message>
            <source>Killing %1</source>
            <translation>%1 wird beendet</translation>
        </message>
        <message>
            <source>Removing %1</source>
            <translation>%1 wird entfernt</translation>
        </message>
        <message>
            <source>The container %1 could not be started.</source>
            <translation>Der Container %1 konnte nicht gestartet werden.</translation>
        </message>
        <message>
            <source>The container %1 could not be stopped.</source>
            <translation>Der Container %1 konnte nicht gestoppt werden.</translation>
        </message>
        <message>
            <source>The container %1 could not be restarted.</source>
            <translation>Der Container %1 konnte nicht neu gestartet werden.</translation>
        </message>
        <message>
            <source>The container %1 could not be paused.</source>
            <translation>Der Container %1 konnte nicht angehalten werden.</translation>
        </message>
        <message>
            <source>The container %1 could not be resumed.</source>
            <translation>Der Container %1 konnte nicht fortgesetzt werden.</translation>
        </message>
        <message>
            <source>The container %1 could not be killed.</source>
            <translation>Der Container %1 konnte nicht beendet werden.</translation>
        </message>
        <message>
            <source>The container %1 could not be removed.</source>
            <translation>Der Container %1 konnte nicht entfernt werden.</translation>
        </message>
        <message>
            <source>Open in Browser</source>
            <translation>Im Browser öffnen</translation>
        </message>
        <message>
            <source>Open the container&apos;s published port in the web browser</source>
            <translation>Den veröffentlichten Port des Containers im Webbrowser öffnen</translation>
        </message>
        <message>
            <source>No web browser could open %1.</source>
            <translation>Kein Webbrowser konnte %1 öffnen.</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Wird gestartet…</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Wird gestoppt…</translation>
        </message>
        <message>
            <source>Restarting…</source>
            <translation>Wird neu gestartet…</translation>
        </message>
        <message>
            <source>Pausing…</source>
            <translation>Wird angehalten…</translation>
        </message>
        <message>
            <source>Resuming…</source>
            <translation>Wird fortgesetzt…</translation>
        </message>
        <message>
            <source>Killing…</source>
            <translation>Beenden wird erzwungen…</translation>
        </message>
        <message>
            <source>Removing…</source>
            <translation>Wird entfernt…</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::DashboardPage</name>
        <message>
            <source>Dashboard</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Live CPU and memory of the running containers and of this machine</source>
            <translation>CPU und Speicher der laufenden Container und dieses Rechners, live</translation>
        </message>
        <message>
            <source>Running containers</source>
            <translation>Laufende Container</translation>
        </message>
        <message>
            <source>Host CPU</source>
            <translation>CPU des Rechners</translation>
        </message>
        <message>
            <source>Host memory</source>
            <translation>Speicher des Rechners</translation>
        </message>
        <message>
            <source>Containers: CPU</source>
            <translation>Container: CPU</translation>
        </message>
        <message>
            <source>% of one core</source>
            <translation>% eines Kerns</translation>
        </message>
        <message>
            <source>Containers: memory</source>
            <translation>Container: Speicher</translation>
        </message>
        <message>
            <source>MiB</source>
            <translation>MiB</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Rechner</translation>
        </message>
        <message>
            <source>%</source>
            <translation>%</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
        <message>
            <source>Container</source>
            <translation>Container</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Prozesse</translation>
        </message>
        <message>
            <source>Top consumers</source>
            <translation>Größte Verbraucher</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ErrorDialog</name>
        <message>
            <source>Berth lacks the permission it needs. Running containers needs root or a rootless set-up.</source>
            <translation>Berth fehlt eine nötige Berechtigung. Container brauchen Root-Rechte oder eine Rootless-Einrichtung.</translation>
        </message>
        <message>
            <source>The image is not in the store. Load or pull it first.</source>
            <translation>Das Abbild ist nicht im Speicher. Laden oder beziehen Sie es zuerst.</translation>
        </message>
        <message>
            <source>The container no longer exists.</source>
            <translation>Den Container gibt es nicht mehr.</translation>
        </message>
        <message>
            <source>A container still uses it. Remove that container first.</source>
            <translation>Ein Container verwendet es noch. Entfernen Sie zuerst diesen Container.</translation>
        </message>
        <message>
            <source>The name is already taken. Choose another one.</source>
            <translation>Der Name ist schon vergeben. Wählen Sie einen anderen.</translation>
        </message>
        <message>
            <source>This engine build cannot do that yet.</source>
            <translation>Dieser Build der Engine kann das noch nicht.</translation>
        </message>
        <message>
            <source>The disk is full.</source>
            <translation>Der Datenträger ist voll.</translation>
        </message>
        <message>
            <source>Berth</source>
            <translation>Berth</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::HistoryModel</name>
        <message>
            <source>Created</source>
            <translation>Erstellt</translation>
        </message>
        <message>
            <source>Created by</source>
            <translation>Erstellt durch</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Kommentar</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImageDetailsView</name>
        <message>
            <source>Overview</source>
            <translation>Überblick</translation>
        </message>
        <message>
            <source>Layers</source>
            <translation>Schichten</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Verlauf</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>Dateien</translation>
        </message>
        <message>
            <source>ID</source>
            <translation>ID</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Erstellt</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>Plattform</translation>
        </message>
        <message>
            <source>Entrypoint</source>
            <translation>Einstiegspunkt</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>Befehl</translation>
        </message>
        <message>
            <source>Working directory</source>
            <translation>Arbeitsverzeichnis</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Benutzer</translation>
        </message>
        <message>
            <source>Environment</source>
            <translation>Umgebung</translation>
        </message>
        <message>
            <source>Exposed ports</source>
            <translation>Freigegebene Ports</translation>
        </message>
        <message>
            <source>Volumes</source>
            <translation>Volumes</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>Labels</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Autor</translation>
        </message>
        <message>
            <source>Filter files by name</source>
            <translation>Dateien nach Namen filtern</translation>
        </message>
        <message>
            <source>Filter files</source>
            <translation>Dateien filtern</translation>
        </message>
        <message>
            <source>Image files</source>
            <translation>Dateien des Abbilds</translation>
        </message>
        <message>
            <source>Reading image %1</source>
            <translation>Abbild %1 wird gelesen</translation>
        </message>
        <message>
            <source>The image details could not be read: %1</source>
            <translation>Die Details des Abbilds konnten nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>—</source>
            <translation>—</translation>
        </message>
        <message>
            <source>Reading files…</source>
            <translation>Dateien werden gelesen…</translation>
        </message>
        <message>
            <source>Reading files of %1</source>
            <translation>Dateien von %1 werden gelesen</translation>
        </message>
        <message numerus="yes">
            <source>%n path(s)</source>
            <translation>
                <numerusform>%n Pfad</numerusform>
                <numerusform>%n Pfade</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImageFilesModel</name>
        <message>
            <source>%1 → %2</source>
            <translation>%1 → %2</translation>
        </message>
        <message>
            <source>Added</source>
            <translation>Hinzugefügt</translation>
        </message>
        <message>
            <source>Changed</source>
            <translation>Geändert</translation>
        </message>
        <message>
            <source>Deleted</source>
            <translation>Gelöscht</translation>
        </message>
        <message>
            <source>Last touched by layer %1</source>
            <translation>Zuletzt geändert von Schicht %1</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Änderung</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImagesModel</name>
        <message>
            <source>Repository</source>
            <translation>Repository</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Tag</translation>
        </message>
        <message>
            <source>Image ID</source>
            <translation>Abbild-ID</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Erstellt</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImagesPage</name>
        <message>
            <source>Build…</source>
            <translation>Bauen…</translation>
        </message>
        <message>
            <source>Build an image from a Dockerfile</source>
            <translation>Ein Image aus einem Dockerfile bauen</translation>
        </message>
        <message>
            <source>Built %1</source>
            <translation>%1 gebaut</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Abbilder</translation>
        </message>
        <message>
            <source>Run…</source>
            <translation>Ausführen…</translation>
        </message>
        <message>
            <source>Run a container from this image</source>
            <translation>Einen Container aus diesem Abbild ausführen</translation>
        </message>
        <message>
            <source>Tag…</source>
            <translation>Taggen…</translation>
        </message>
        <message>
            <source>Give this image another name</source>
            <translation>Diesem Abbild einen weiteren Namen geben</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove this image</source>
            <translation>Dieses Abbild entfernen</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>Speichern…</translation>
        </message>
        <message>
            <source>Save this image to an archive</source>
            <translation>Dieses Abbild in ein Archiv speichern</translation>
        </message>
        <message>
            <source>Load…</source>
            <translation>Laden…</translation>
        </message>
        <message>
            <source>Load images from an archive</source>
            <translation>Abbilder aus einem Archiv laden</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Read the image list again</source>
            <translation>Die Abbildliste neu lesen</translation>
        </message>
        <message>
            <source>Filter images</source>
            <translation>Abbilder filtern</translation>
        </message>
        <message>
            <source>Listing images</source>
            <translation>Abbilder werden aufgelistet</translation>
        </message>
        <message numerus="yes">
            <source>%n image(s), %1</source>
            <translation>
                <numerusform>%n Abbild, %1</numerusform>
                <numerusform>%n Abbilder, %1</numerusform>
            </translation>
        </message>
        <message>
            <source>The list of images could not be read.</source>
            <translation>Die Abbildliste konnte nicht gelesen werden.</translation>
        </message>
        <message>
            <source>Tag Image</source>
            <translation>Abbild taggen</translation>
        </message>
        <message>
            <source>New name for %1 (name:tag):</source>
            <translation>Neuer Name für %1 (Name:Tag):</translation>
        </message>
        <message>
            <source>Tagging %1</source>
            <translation>%1 wird getaggt</translation>
        </message>
        <message>
            <source>Tagged as %1</source>
            <translation>Getaggt als %1</translation>
        </message>
        <message>
            <source>The image could not be tagged as %1.</source>
            <translation>Das Abbild konnte nicht als %1 getaggt werden.</translation>
        </message>
        <message>
            <source>Remove Images</source>
            <translation>Abbilder entfernen</translation>
        </message>
        <message numerus="yes">
            <source>Remove %n image(s)?</source>
            <translation>
                <numerusform>%n Abbild entfernen?</numerusform>
                <numerusform>%n Abbilder entfernen?</numerusform>
            </translation>
        </message>
        <message>
            <source>Removing %1</source>
            <translation>%1 wird entfernt</translation>
        </message>
        <message>
            <source>Removed %1</source>
            <translation>%1 entfernt</translation>
        </message>
        <message>
            <source>The image %1 could not be removed.</source>
            <translation>Das Abbild %1 konnte nicht entfernt werden.</translation>
        </message>
        <message>
            <source>Save Image</source>
            <translation>Abbild speichern</translation>
        </message>
        <message>
            <source>Image archives (*.tar);;All files (*)</source>
            <translation>Abbild-Archive (*.tar);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Saving %1</source>
            <translation>%1 wird gespeichert</translation>
        </message>
        <message>
            <source>Saved to %1</source>
            <translation>Gespeichert in %1</translation>
        </message>
        <message>
            <source>The image could not be saved to %1.</source>
            <translation>Das Abbild konnte nicht in %1 gespeichert werden.</translation>
        </message>
        <message>
            <source>Load Images</source>
            <translation>Abbilder laden</translation>
        </message>
        <message>
            <source>Image archives (*.tar *.tar.gz *.tgz *.tar.zst);;All files (*)</source>
            <translation>Abbild-Archive (*.tar *.tar.gz *.tgz *.tar.zst);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>Loading %1</source>
            <translation>%1 wird geladen</translation>
        </message>
        <message>
            <source>Loaded %1</source>
            <translation>%1 geladen</translation>
        </message>
        <message>
            <source>The images in %1 could not be loaded.</source>
            <translation>Die Abbilder in %1 konnten nicht geladen werden.</translation>
        </message>
        <message>
            <source>Pull…</source>
            <translation>Beziehen…</translation>
        </message>
        <message>
            <source>Download an image from a registry</source>
            <translation>Ein Abbild aus einer Registry herunterladen</translation>
        </message>
        <message>
            <source>Pulled %1</source>
            <translation>%1 bezogen</translation>
        </message>
        <message numerus="yes">
            <source>%n image(s)</source>
            <translation>
                <numerusform>%n Abbild</numerusform>
                <numerusform>%n Abbilder</numerusform>
            </translation>
        </message>
        <message>
            <source>Force Remove removes the image&apos;s name anyway; the containers made from it keep running and keep its layers until they are removed.</source>
            <translation>„Erzwungen entfernen“ entfernt den Namen des Images trotzdem; die daraus erstellten Container laufen weiter und behalten seine Schichten, bis sie entfernt werden.</translation>
        </message>
        <message>
            <source>&amp;Force Remove</source>
            <translation>Erzwungen &amp;entfernen</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::JsonTree</name>
        <message>
            <source>Key</source>
            <translation>Schlüssel</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Wert</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::LayersModel</name>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Digest</source>
            <translation>Prüfsumme</translation>
        </message>
        <message>
            <source>Created by</source>
            <translation>Erstellt durch</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::LogView</name>
        <message>
            <source>Follow</source>
            <translation>Folgen</translation>
        </message>
        <message>
            <source>Timestamps</source>
            <translation>Zeitstempel</translation>
        </message>
        <message>
            <source>Search logs (Ctrl+F)</source>
            <translation>Protokoll durchsuchen (Strg+F)</translation>
        </message>
        <message>
            <source>Search logs</source>
            <translation>Protokoll durchsuchen</translation>
        </message>
        <message>
            <source>Regex</source>
            <translation>Regex</translation>
        </message>
        <message>
            <source>Treat the search text as a regular expression</source>
            <translation>Den Suchtext als regulären Ausdruck behandeln</translation>
        </message>
        <message>
            <source>Previous</source>
            <translation>Vorheriger</translation>
        </message>
        <message>
            <source>Previous match (Shift+F3)</source>
            <translation>Vorheriger Treffer (Umschalt+F3)</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>Nächster</translation>
        </message>
        <message>
            <source>Next match (F3)</source>
            <translation>Nächster Treffer (F3)</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>Speichern…</translation>
        </message>
        <message>
            <source>Log lines</source>
            <translation>Protokollzeilen</translation>
        </message>
        <message>
            <source>Line %1</source>
            <translation>Zeile %1</translation>
        </message>
        <message>
            <source>No match</source>
            <translation>Kein Treffer</translation>
        </message>
        <message>
            <source>Invalid pattern</source>
            <translation>Ungültiges Muster</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Suche läuft…</translation>
        </message>
        <message>
            <source>Save Log</source>
            <translation>Protokoll speichern</translation>
        </message>
        <message>
            <source>Text files (*.log *.txt);;All files (*)</source>
            <translation>Textdateien (*.log *.txt);;Alle Dateien (*)</translation>
        </message>
        <message>
            <source>The log could not be saved to %1.</source>
            <translation>Das Protokoll konnte nicht in %1 gespeichert werden.</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>Gespeichert</translation>
        </message>
        <message>
            <source>Keep showing the newest lines (Ctrl+End)</source>
            <translation>Immer die neuesten Zeilen zeigen (Strg+Ende)</translation>
        </message>
        <message>
            <source>Show when each line was written (Ctrl+Shift+T)</source>
            <translation>Zeigen, wann jede Zeile geschrieben wurde (Strg+Umschalt+T)</translation>
        </message>
        <message>
            <source>Save the log to a file (Ctrl+Shift+S)</source>
            <translation>Das Protokoll in eine Datei speichern (Strg+Umschalt+S)</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::MainWindow</name>
        <message>
            <source>Berth</source>
            <translation>Berth</translation>
        </message>
        <message>
            <source>Something went wrong: %1.</source>
            <translation>Etwas ist schiefgegangen: %1.</translation>
        </message>
        <message>
            <source>Containers</source>
            <translation>Container</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Abbilder</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Beenden</translation>
        </message>
        <message>
            <source>Sections</source>
            <translation>Bereiche</translation>
        </message>
        <message>
            <source>Store: %1</source>
            <translation>Speicher: %1</translation>
        </message>
        <message>
            <source>The container store this window shows</source>
            <translation>Der Container-Speicher, den dieses Fenster zeigt</translation>
        </message>
        <message>
            <source>Running %1</source>
            <translation>%1 wird ausgeführt</translation>
        </message>
        <message>
            <source>Creating a container from %1</source>
            <translation>Container aus %1 wird erstellt</translation>
        </message>
        <message>
            <source>The container could not be started from %1.</source>
            <translation>Der Container aus %1 konnte nicht gestartet werden.</translation>
        </message>
        <message>
            <source>The container could not be created from %1.</source>
            <translation>Der Container aus %1 konnte nicht erstellt werden.</translation>
        </message>
        <message>
            <source>Preferences…</source>
            <translation>Einstellungen…</translation>
        </message>
        <message>
            <source>Language and stats interval (Ctrl+,)</source>
            <translation>Sprache und Statistikintervall (Strg+,)</translation>
        </message>
        <message>
            <source>Volumes</source>
            <translation>Volumes</translation>
        </message>
        <message>
            <source>Networks</source>
            <translation>Netzwerke</translation>
        </message>
        <message numerus="yes">
            <source>%n running</source>
            <translation>
                <numerusform>%n läuft</numerusform>
                <numerusform>%n laufen</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n container(s)</source>
            <translation>
                <numerusform>%n Container</numerusform>
                <numerusform>%n Container</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n image(s)</source>
            <translation>
                <numerusform>%n Abbild</numerusform>
                <numerusform>%n Abbilder</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::PreferencesDialog</name>
        <message>
            <source>Preferences</source>
            <translation>Einstellungen</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Systemsprache</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Sprache</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Sprache:</translation>
        </message>
        <message>
            <source>&amp;Stats interval:</source>
            <translation>&amp;Statistikintervall:</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Stats sampling interval in milliseconds</source>
            <translation>Abtastintervall der Statistik in Millisekunden</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::PullDialog</name>
        <message>
            <source>Pull Image</source>
            <translation>Abbild beziehen</translation>
        </message>
        <message>
            <source>&amp;Image:</source>
            <translation>&amp;Abbild:</translation>
        </message>
        <message>
            <source>P&amp;latform:</source>
            <translation>P&amp;lattform:</translation>
        </message>
        <message>
            <source>for example busybox:latest or registry.example.com/team/app:1.2</source>
            <translation>zum Beispiel busybox:latest oder registry.example.com/team/app:1.2</translation>
        </message>
        <message>
            <source>Image reference</source>
            <translation>Abbildreferenz</translation>
        </message>
        <message>
            <source>optional, for example linux/arm64 (default: this computer's)</source>
            <translation>optional, zum Beispiel linux/arm64 (Standard: die dieses Rechners)</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>Plattform</translation>
        </message>
        <message>
            <source>Overall progress</source>
            <translation>Gesamtfortschritt</translation>
        </message>
        <message>
            <source>Layers</source>
            <translation>Schichten</translation>
        </message>
        <message>
            <source>Details…</source>
            <translation>Details…</translation>
        </message>
        <message>
            <source>&amp;Pull</source>
            <translation>&amp;Beziehen</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>Ab&amp;brechen</translation>
        </message>
        <message>
            <source>&amp;Close</source>
            <translation>&amp;Schließen</translation>
        </message>
        <message>
            <source>"%1" is not a platform. Write it as os/architecture, for example linux/amd64.</source>
            <translation>„%1“ ist keine Plattform. Schreiben Sie sie als OS/Architektur, zum Beispiel linux/amd64.</translation>
        </message>
        <message>
            <source>Pulling %1…</source>
            <translation>%1 wird bezogen…</translation>
        </message>
        <message>
            <source>Pulling %1</source>
            <translation>%1 wird bezogen</translation>
        </message>
        <message>
            <source>Pulled %1.</source>
            <translation>%1 bezogen.</translation>
        </message>
        <message>
            <source>%1 is up to date.</source>
            <translation>%1 ist aktuell.</translation>
        </message>
        <message>
            <source>The pull was cancelled; nothing was stored.</source>
            <translation>Das Beziehen wurde abgebrochen; nichts wurde gespeichert.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::PullLayersModel</name>
        <message>
            <source>Waiting</source>
            <translation>Wartet</translation>
        </message>
        <message>
            <source>Downloading</source>
            <translation>Wird heruntergeladen</translation>
        </message>
        <message>
            <source>Retrying</source>
            <translation>Neuer Versuch</translation>
        </message>
        <message>
            <source>Verifying checksum</source>
            <translation>Prüfsumme wird geprüft</translation>
        </message>
        <message>
            <source>Download complete</source>
            <translation>Heruntergeladen</translation>
        </message>
        <message>
            <source>Extracting</source>
            <translation>Wird entpackt</translation>
        </message>
        <message>
            <source>Pull complete</source>
            <translation>Fertig</translation>
        </message>
        <message>
            <source>Already exists</source>
            <translation>Schon vorhanden</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>Layer %1: %2, %3 of %4</source>
            <translation>Schicht %1: %2, %3 von %4</translation>
        </message>
        <message>
            <source>Layer</source>
            <translation>Schicht</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Fortschritt</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::RunDialog</name>
        <message>
            <source>Run a Container</source>
            <translation>Container ausführen</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Abbild</translation>
        </message>
        <message>
            <source>chosen at random when empty</source>
            <translation>zufällig gewählt, wenn leer</translation>
        </message>
        <message>
            <source>the image's default command when empty</source>
            <translation>Standardbefehl des Abbilds, wenn leer</translation>
        </message>
        <message>
            <source>the image's entrypoint when empty</source>
            <translation>Einstiegspunkt des Abbilds, wenn leer</translation>
        </message>
        <message>
            <source>One KEY=value per line</source>
            <translation>Ein SCHLÜSSEL=Wert pro Zeile</translation>
        </message>
        <message>
            <source>&amp;Image:</source>
            <translation>&amp;Abbild:</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <source>&amp;Command:</source>
            <translation>&amp;Befehl:</translation>
        </message>
        <message>
            <source>&amp;Entrypoint:</source>
            <translation>&amp;Einstiegspunkt:</translation>
        </message>
        <message>
            <source>&amp;Ports:</source>
            <translation>&amp;Ports:</translation>
        </message>
        <message>
            <source>En&amp;vironment:</source>
            <translation>&amp;Umgebung:</translation>
        </message>
        <message>
            <source>General</source>
            <translation>Allgemein</translation>
        </message>
        <message>
            <source>uid[:gid] or a user name of the image</source>
            <translation>uid[:gid] oder ein Benutzername des Abbilds</translation>
        </message>
        <message>
            <source>e.g. 256m or 1g; unlimited when empty</source>
            <translation>z. B. 256m oder 1g; unbegrenzt, wenn leer</translation>
        </message>
        <message>
            <source>e.g. 0.5 or 2; unlimited when empty</source>
            <translation>z. B. 0.5 oder 2; unbegrenzt, wenn leer</translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>unbegrenzt</translation>
        </message>
        <message>
            <source>Never</source>
            <translation>Nie</translation>
        </message>
        <message>
            <source>On failure</source>
            <translation>Bei Fehler</translation>
        </message>
        <message>
            <source>Always</source>
            <translation>Immer</translation>
        </message>
        <message>
            <source>Unless stopped</source>
            <translation>Außer wenn gestoppt</translation>
        </message>
        <message>
            <source>Read-only root file system</source>
            <translation>Schreibgeschütztes Wurzeldateisystem</translation>
        </message>
        <message>
            <source>Privileged (all capabilities, no seccomp)</source>
            <translation>Privilegiert (alle Capabilities, kein Seccomp)</translation>
        </message>
        <message>
            <source>Remove the container when it exits</source>
            <translation>Container nach dem Beenden entfernen</translation>
        </message>
        <message>
            <source>&amp;Working directory:</source>
            <translation>&amp;Arbeitsverzeichnis:</translation>
        </message>
        <message>
            <source>&amp;User:</source>
            <translation>Ben&amp;utzer:</translation>
        </message>
        <message>
            <source>&amp;Hostname:</source>
            <translation>&amp;Rechnername:</translation>
        </message>
        <message>
            <source>&amp;Memory limit:</source>
            <translation>&amp;Speichergrenze:</translation>
        </message>
        <message>
            <source>C&amp;PU limit:</source>
            <translation>C&amp;PU-Grenze:</translation>
        </message>
        <message>
            <source>Process &amp;limit:</source>
            <translation>Prozess&amp;grenze:</translation>
        </message>
        <message>
            <source>&amp;Restart policy:</source>
            <translation>&amp;Neustartregel:</translation>
        </message>
        <message>
            <source>Resources and security</source>
            <translation>Ressourcen und Sicherheit</translation>
        </message>
        <message>
            <source>Start the container now</source>
            <translation>Den Container jetzt starten</translation>
        </message>
        <message>
            <source>&amp;Run</source>
            <translation>&amp;Ausführen</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>&amp;Erstellen</translation>
        </message>
        <message>
            <source>no limit</source>
            <translation>unbegrenzt</translation>
        </message>
        <message>
            <source>Give the container a terminal (-t)</source>
            <translation>Dem Container ein Terminal geben (-t)</translation>
        </message>
        <message>
            <source>memory + swap, e.g. 1g; -1 for unlimited swap</source>
            <translation>Speicher + Swap, z. B. 1g; -1 für unbegrenzten Swap</translation>
        </message>
        <message>
            <source>default</source>
            <translation>Standard</translation>
        </message>
        <message>
            <source>e.g. 0-1 or 0,2; all CPUs when empty</source>
            <translation>z. B. 0-1 oder 0,2; leer: alle CPUs</translation>
        </message>
        <message>
            <source>e.g. /run:size=64m, /cache</source>
            <translation>z. B. /run:size=64m, /cache</translation>
        </message>
        <message>
            <source>e.g. NET_ADMIN, SYS_PTRACE</source>
            <translation>z. B. NET_ADMIN, SYS_PTRACE</translation>
        </message>
        <message>
            <source>e.g. NET_RAW, or ALL</source>
            <translation>z. B. NET_RAW oder ALL</translation>
        </message>
        <message>
            <source>the default profile when empty; "unconfined" or a JSON file</source>
            <translation>leer: das Standardprofil; „unconfined“ oder eine JSON-Datei</translation>
        </message>
        <message>
            <source>No new privileges (setuid programs gain nothing)</source>
            <translation>Keine neuen Rechte (setuid-Programme gewinnen nichts)</translation>
        </message>
        <message>
            <source>e.g. 10m; unlimited when empty</source>
            <translation>z. B. 10m; leer: unbegrenzt</translation>
        </message>
        <message>
            <source>e.g. nofile=1024:2048, nproc=512</source>
            <translation>z. B. nofile=1024:2048, nproc=512</translation>
        </message>
        <message>
            <source>One key=value per line</source>
            <translation>Ein Schlüssel=Wert pro Zeile</translation>
        </message>
        <message>
            <source>Restart &amp;retries:</source>
            <translation>Neustart&amp;versuche:</translation>
        </message>
        <message>
            <source>Memory + &amp;swap:</source>
            <translation>Speicher + &amp;Swap:</translation>
        </message>
        <message>
            <source>CPU s&amp;hares:</source>
            <translation>CPU-&amp;Anteile:</translation>
        </message>
        <message>
            <source>CPU se&amp;t:</source>
            <translation>CPU-&amp;Menge:</translation>
        </message>
        <message>
            <source>&amp;tmpfs mounts:</source>
            <translation>&amp;tmpfs-Einhängungen:</translation>
        </message>
        <message>
            <source>&amp;Add capabilities:</source>
            <translation>Fähigkeiten &amp;hinzufügen:</translation>
        </message>
        <message>
            <source>&amp;Drop capabilities:</source>
            <translation>Fähigkeiten &amp;entfernen:</translation>
        </message>
        <message>
            <source>Secco&amp;mp profile:</source>
            <translation>Secco&amp;mp-Profil:</translation>
        </message>
        <message>
            <source>&amp;Log file size:</source>
            <translation>&amp;Protokollgröße:</translation>
        </message>
        <message>
            <source>Log &amp;files kept:</source>
            <translation>Aufbewahrte Protokoll&amp;dateien:</translation>
        </message>
        <message>
            <source>&amp;Ulimits:</source>
            <translation>&amp;Ulimits:</translation>
        </message>
        <message>
            <source>La&amp;bels:</source>
            <translation>La&amp;bels:</translation>
        </message>
        <message>
            <source>More</source>
            <translation>Weiteres</translation>
        </message>
        <message>
            <source>Published ports</source>
            <translation>Veröffentlichte Ports</translation>
        </message>
        <message>
            <source>Host IP</source>
            <translation>Host-IP</translation>
        </message>
        <message>
            <source>Host port</source>
            <translation>Host-Port</translation>
        </message>
        <message>
            <source>Container port</source>
            <translation>Container-Port</translation>
        </message>
        <message>
            <source>Protocol</source>
            <translation>Protokoll</translation>
        </message>
        <message>
            <source>An empty host IP listens on every address; an empty host port picks a free one.</source>
            <translation>Eine leere Host-IP lauscht auf allen Adressen; ein leerer Host-Port wählt einen freien.</translation>
        </message>
        <message>
            <source>Volumes and bind mounts</source>
            <translation>Volumes und Bind-Mounts</translation>
        </message>
        <message>
            <source>Volume or host path</source>
            <translation>Volume oder Host-Pfad</translation>
        </message>
        <message>
            <source>Path in the container</source>
            <translation>Pfad im Container</translation>
        </message>
        <message>
            <source>Read-only</source>
            <translation>Schreibgeschützt</translation>
        </message>
        <message>
            <source>A name is a volume (created when missing), an absolute path a host folder that must exist; empty makes an anonymous volume.</source>
            <translation>Ein Name ist ein Volume (wird bei Bedarf angelegt), ein absoluter Pfad ein Host-Ordner, der existieren muss; leer ergibt ein anonymes Volume.</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Netzwerk</translation>
        </message>
        <message>
            <source>Default (bridge)</source>
            <translation>Standard (bridge)</translation>
        </message>
        <message>
            <source>Add Port</source>
            <translation>Port hinzufügen</translation>
        </message>
        <message>
            <source>Remove Port</source>
            <translation>Port entfernen</translation>
        </message>
        <message>
            <source>&amp;Volumes:</source>
            <translation>&amp;Volumes:</translation>
        </message>
        <message>
            <source>Add Volume</source>
            <translation>Volume hinzufügen</translation>
        </message>
        <message>
            <source>Remove Volume</source>
            <translation>Volume entfernen</translation>
        </message>
        <message>
            <source>Net&amp;work:</source>
            <translation>Netz&amp;werk:</translation>
        </message>
        <message>
            <source>Ports, volumes and network</source>
            <translation>Ports, Volumes und Netzwerk</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::StatsHistoryModel</name>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>CPU %</source>
            <translation>CPU %</translation>
        </message>
        <message>
            <source>Memory (MiB)</source>
            <translation>Speicher (MiB)</translation>
        </message>
        <message>
            <source>Memory limit (MiB)</source>
            <translation>Speichergrenze (MiB)</translation>
        </message>
        <message>
            <source>Received (KiB/s)</source>
            <translation>Empfangen (KiB/s)</translation>
        </message>
        <message>
            <source>Sent (KiB/s)</source>
            <translation>Gesendet (KiB/s)</translation>
        </message>
        <message>
            <source>Read (KiB/s)</source>
            <translation>Gelesen (KiB/s)</translation>
        </message>
        <message>
            <source>Written (KiB/s)</source>
            <translation>Geschrieben (KiB/s)</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Prozesse</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TrayController</name>
        <message>
            <source>Show Berth</source>
            <translation>Berth anzeigen</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Beenden</translation>
        </message>
        <message numerus="yes">
            <source>Berth: %n container(s) running</source>
            <translation>
                <numerusform>Berth: %n Container läuft</numerusform>
                <numerusform>Berth: %n Container laufen</numerusform>
            </translation>
        </message>
        <message>
            <source>Container exited</source>
            <translation>Container beendet</translation>
        </message>
        <message>
            <source>%1 exited with code %2.</source>
            <translation>%1 wurde mit Code %2 beendet.</translation>
        </message>
        <message>
            <source>Container out of memory</source>
            <translation>Container ohne Speicher</translation>
        </message>
        <message>
            <source>%1 was killed because it ran out of memory.</source>
            <translation>%1 wurde beendet, weil der Speicher nicht reichte.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Berth: containers, images and live dashboards</source>
            <translation>Berth: Container, Abbilder und Live-Übersicht</translation>
        </message>
        <message>
            <source>The store to open (default: BERTH_ROOT or the user's store).</source>
            <translation>Der zu öffnende Speicher (Standard: BERTH_ROOT oder der des Benutzers).</translation>
        </message>
        <message>
            <source>Where runtime state lives.</source>
            <translation>Wo der Laufzeitzustand liegt.</translation>
        </message>
        <message>
            <source>Stats sampling interval in milliseconds.</source>
            <translation>Abtastintervall der Statistik in Millisekunden.</translation>
        </message>
        <message>
            <source>Berth could not open its container store.</source>
            <translation>Berth konnte seinen Container-Speicher nicht öffnen.</translation>
        </message>
        <message>
            <source>The page to open: containers, images or dashboard.</source>
            <translation>Die zu öffnende Seite: containers, images oder dashboard.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::BuildDialog</name>
        <message>
            <source>Something the build needs was not found.</source>
            <translation>Etwas, das der Build braucht, wurde nicht gefunden.</translation>
        </message>
        <message>
            <source>The Dockerfile or the build settings are not valid.</source>
            <translation>Das Dockerfile oder die Build-Einstellungen sind ungültig.</translation>
        </message>
        <message>
            <source>The build was refused access to a file or path.</source>
            <translation>Dem Build wurde der Zugriff auf eine Datei oder einen Pfad verweigert.</translation>
        </message>
        <message>
            <source>A repository or registry could not be reached.</source>
            <translation>Ein Repository oder eine Registry war nicht erreichbar.</translation>
        </message>
        <message>
            <source>A repository or registry refused access.</source>
            <translation>Ein Repository oder eine Registry hat den Zugriff verweigert.</translation>
        </message>
        <message>
            <source>The image could not be built.</source>
            <translation>Das Image konnte nicht gebaut werden.</translation>
        </message>
        <message>
            <source>Build Context Folder</source>
            <translation>Ordner des Build-Kontexts</translation>
        </message>
        <message>
            <source>Build Image</source>
            <translation>Image bauen</translation>
        </message>
        <message>
            <source>&amp;Folder:</source>
            <translation>&amp;Ordner:</translation>
        </message>
        <message>
            <source>&amp;Git repository:</source>
            <translation>&amp;Git-Repository:</translation>
        </message>
        <message>
            <source>B&amp;rowse…</source>
            <translation>Durch&amp;suchen…</translation>
        </message>
        <message>
            <source>the folder with the Dockerfile and the files it copies</source>
            <translation>der Ordner mit dem Dockerfile und den Dateien, die es kopiert</translation>
        </message>
        <message>
            <source>Context folder</source>
            <translation>Kontextordner</translation>
        </message>
        <message>
            <source>for example https://example.com/team/app.git or /srv/git/app.git</source>
            <translation>zum Beispiel https://example.com/team/app.git oder /srv/git/app.git</translation>
        </message>
        <message>
            <source>Git repository</source>
            <translation>Git-Repository</translation>
        </message>
        <message>
            <source>&amp;Branch or tag:</source>
            <translation>&amp;Branch oder Tag:</translation>
        </message>
        <message>
            <source>Branch or tag</source>
            <translation>Branch oder Tag</translation>
        </message>
        <message>
            <source>default branch</source>
            <translation>Standard-Branch</translation>
        </message>
        <message>
            <source>&amp;List</source>
            <translation>&amp;Auflisten</translation>
        </message>
        <message>
            <source>List the repository&apos;s branches and tags</source>
            <translation>Die Branches und Tags des Repositorys auflisten</translation>
        </message>
        <message>
            <source>&amp;Subfolder:</source>
            <translation>&amp;Unterordner:</translation>
        </message>
        <message>
            <source>optional: the context inside the repository</source>
            <translation>optional: der Kontext innerhalb des Repositorys</translation>
        </message>
        <message>
            <source>Subfolder</source>
            <translation>Unterordner</translation>
        </message>
        <message>
            <source>&amp;Dockerfile:</source>
            <translation>&amp;Dockerfile:</translation>
        </message>
        <message>
            <source>Dockerfile (relative to the context)</source>
            <translation>Dockerfile (relativ zum Kontext)</translation>
        </message>
        <message>
            <source>Dockerfile path</source>
            <translation>Pfad des Dockerfiles</translation>
        </message>
        <message>
            <source>&amp;Tag:</source>
            <translation>&amp;Tag:</translation>
        </message>
        <message>
            <source>for example app:1 (optional)</source>
            <translation>zum Beispiel app:1 (optional)</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Tag</translation>
        </message>
        <message>
            <source>Build &amp;arguments:</source>
            <translation>Build-&amp;Argumente:</translation>
        </message>
        <message>
            <source>one KEY=VALUE per line</source>
            <translation>ein SCHLÜSSEL=WERT pro Zeile</translation>
        </message>
        <message>
            <source>Build arguments</source>
            <translation>Build-Argumente</translation>
        </message>
        <message>
            <source>Do not use the build cac&amp;he</source>
            <translation>Build-Cac&amp;he nicht verwenden</translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>Schritt</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Build steps</source>
            <translation>Build-Schritte</translation>
        </message>
        <message>
            <source>Build log</source>
            <translation>Build-Protokoll</translation>
        </message>
        <message>
            <source>B&amp;uild</source>
            <translation>&amp;Bauen</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>&amp;Abbrechen</translation>
        </message>
        <message>
            <source>&amp;Close</source>
            <translation>&amp;Schließen</translation>
        </message>
        <message>
            <source>running</source>
            <translation>läuft</translation>
        </message>
        <message>
            <source>cached</source>
            <translation>aus dem Cache</translation>
        </message>
        <message>
            <source>done</source>
            <translation>fertig</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>abgebrochen</translation>
        </message>
        <message>
            <source>Listing the branches and tags of %1…</source>
            <translation>Branches und Tags von %1 werden aufgelistet…</translation>
        </message>
        <message>
            <source>Listing branches of %1</source>
            <translation>Branches von %1 auflisten</translation>
        </message>
        <message>
            <source>branch</source>
            <translation>Branch</translation>
        </message>
        <message>
            <source>tag</source>
            <translation>Tag</translation>
        </message>
        <message numerus="yes">
            <source>%n branch(es) and tag(s) found.</source>
            <translation>
                <numerusform>%n Branch oder Tag gefunden.</numerusform>
                <numerusform>%n Branches und Tags gefunden.</numerusform>
            </translation>
        </message>
        <message>
            <source>The branches and tags of %1 could not be listed.</source>
            <translation>Die Branches und Tags von %1 konnten nicht aufgelistet werden.</translation>
        </message>
        <message>
            <source>&quot;%1&quot; is not a build argument. Write it as KEY=VALUE.</source>
            <translation>„%1“ ist kein Build-Argument. Schreiben Sie es als SCHLÜSSEL=WERT.</translation>
        </message>
        <message>
            <source>Building %1…</source>
            <translation>%1 wird gebaut…</translation>
        </message>
        <message>
            <source>Building %1</source>
            <translation>%1 bauen</translation>
        </message>
        <message numerus="yes">
            <source>Built %1 in %n step(s), %2 from the cache.</source>
            <translation>
                <numerusform>%1 in %n Schritt gebaut, %2 aus dem Cache.</numerusform>
                <numerusform>%1 in %n Schritten gebaut, %2 aus dem Cache.</numerusform>
            </translation>
        </message>
        <message>
            <source>The build was cancelled; nothing was tagged.</source>
            <translation>Der Build wurde abgebrochen; nichts wurde getaggt.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::VolumesPage</name>
        <message>
            <source>Volumes</source>
            <translation>Volumes</translation>
        </message>
        <message>
            <source>Create…</source>
            <translation>Anlegen…</translation>
        </message>
        <message>
            <source>Create a volume</source>
            <translation>Ein Volume anlegen</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove the selected volumes</source>
            <translation>Die ausgewählten Volumes entfernen</translation>
        </message>
        <message>
            <source>Prune…</source>
            <translation>Aufräumen…</translation>
        </message>
        <message>
            <source>Remove volumes no container uses</source>
            <translation>Volumes entfernen, die kein Container nutzt</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Read the volume list again</source>
            <translation>Die Volume-Liste neu lesen</translation>
        </message>
        <message>
            <source>Filter volumes</source>
            <translation>Volumes filtern</translation>
        </message>
        <message>
            <source>No volumes yet.
Create one, or run a container with a volume (Run…, Ports, volumes and network).</source>
            <translation>Noch keine Volumes.
Legen Sie eines an oder starten Sie einen Container mit einem Volume (Ausführen…, Ports, Volumes und Netzwerk).</translation>
        </message>
        <message>
            <source>Volume details</source>
            <translation>Volume-Details</translation>
        </message>
        <message>
            <source>Listing volumes</source>
            <translation>Volumes werden gelesen</translation>
        </message>
        <message>
            <source>The list of volumes could not be read.</source>
            <translation>Die Liste der Volumes konnte nicht gelesen werden.</translation>
        </message>
        <message>
            <source>No container uses this volume.</source>
            <translation>Kein Container nutzt dieses Volume.</translation>
        </message>
        <message>
            <source>Used by: %1</source>
            <translation>Genutzt von: %1</translation>
        </message>
        <message>
            <source>Creating volume %1</source>
            <translation>Volume %1 wird angelegt</translation>
        </message>
        <message>
            <source>(random name)</source>
            <translation>(zufälliger Name)</translation>
        </message>
        <message>
            <source>Volume %1 created.</source>
            <translation>Volume %1 angelegt.</translation>
        </message>
        <message>
            <source>The volume %1 could not be created.</source>
            <translation>Das Volume %1 konnte nicht angelegt werden.</translation>
        </message>
        <message>
            <source>Removing volume %1</source>
            <translation>Volume %1 wird entfernt</translation>
        </message>
        <message>
            <source>The volume %1 could not be removed.</source>
            <translation>Das Volume %1 konnte nicht entfernt werden.</translation>
        </message>
        <message>
            <source>Pruning volumes</source>
            <translation>Volumes werden aufgeräumt</translation>
        </message>
        <message>
            <source>The unused volumes could not be removed.</source>
            <translation>Die ungenutzten Volumes konnten nicht entfernt werden.</translation>
        </message>
        <message>
            <source>Create a Volume</source>
            <translation>Volume anlegen</translation>
        </message>
        <message>
            <source>chosen at random when empty</source>
            <translation>zufällig gewählt, wenn leer</translation>
        </message>
        <message>
            <source>One key=value per line</source>
            <translation>Ein Schlüssel=Wert pro Zeile</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <source>La&amp;bels:</source>
            <translation>La&amp;bels:</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>&amp;Anlegen</translation>
        </message>
        <message>
            <source>Remove Volumes</source>
            <translation>Volumes entfernen</translation>
        </message>
        <message>
            <source>Prune Volumes</source>
            <translation>Volumes aufräumen</translation>
        </message>
        <message>
            <source>Remove the anonymous volumes that no container uses? Their data is deleted.</source>
            <translation>Die anonymen Volumes entfernen, die kein Container nutzt? Ihre Daten werden gelöscht.</translation>
        </message>
        <message>
            <source>Also named volumes that no container uses</source>
            <translation>Auch benannte Volumes, die kein Container nutzt</translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s)</source>
            <translation>
                <numerusform>%n Volume</numerusform>
                <numerusform>%n Volumes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n unused</source>
            <translation>
                <numerusform>%n ungenutzt</numerusform>
                <numerusform>%n ungenutzt</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s) selected</source>
            <translation>
                <numerusform>%n Volume ausgewählt</numerusform>
                <numerusform>%n Volumes ausgewählt</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s) removed, %1 reclaimed.</source>
            <translation>
                <numerusform>%n Volume entfernt, %1 freigegeben.</numerusform>
                <numerusform>%n Volumes entfernt, %1 freigegeben.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n volume(s)? Their data is deleted.</source>
            <translation>
                <numerusform>%n Volume entfernen? Seine Daten werden gelöscht.</numerusform>
                <numerusform>%n Volumes entfernen? Ihre Daten werden gelöscht.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The volume %1 was not removed: %n container(s) use it: %2.</source>
            <translation>
                <numerusform>Das Volume %1 wurde nicht entfernt: %n Container verwendet es: %2.</numerusform>
                <numerusform>Das Volume %1 wurde nicht entfernt: %n Container verwenden es: %2.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::VolumesModel</name>
        <message>
            <source>unused</source>
            <translation>ungenutzt</translation>
        </message>
        <message>
            <source>%1 (anonymous)</source>
            <translation>%1 (anonym)</translation>
        </message>
        <message>
            <source>Volume</source>
            <translation>Volume</translation>
        </message>
        <message>
            <source>Driver</source>
            <translation>Treiber</translation>
        </message>
        <message>
            <source>Used by</source>
            <translation>Genutzt von</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Angelegt</translation>
        </message>
        <message>
            <source>Data folder</source>
            <translation>Datenordner</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::NetworksPage</name>
        <message>
            <source>Networks</source>
            <translation>Netzwerke</translation>
        </message>
        <message>
            <source>Create…</source>
            <translation>Anlegen…</translation>
        </message>
        <message>
            <source>Create a network</source>
            <translation>Ein Netzwerk anlegen</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Remove the selected networks</source>
            <translation>Die ausgewählten Netzwerke entfernen</translation>
        </message>
        <message>
            <source>Prune…</source>
            <translation>Aufräumen…</translation>
        </message>
        <message>
            <source>Remove networks no container uses</source>
            <translation>Netzwerke entfernen, die kein Container nutzt</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Read the network list again</source>
            <translation>Die Netzwerkliste neu lesen</translation>
        </message>
        <message>
            <source>Filter networks</source>
            <translation>Netzwerke filtern</translation>
        </message>
        <message>
            <source>Network details</source>
            <translation>Netzwerkdetails</translation>
        </message>
        <message>
            <source>Listing networks</source>
            <translation>Netzwerke werden gelesen</translation>
        </message>
        <message>
            <source>The list of networks could not be read.</source>
            <translation>Die Liste der Netzwerke konnte nicht gelesen werden.</translation>
        </message>
        <message>
            <source>No running container is attached.</source>
            <translation>Kein laufender Container ist verbunden.</translation>
        </message>
        <message>
            <source>Attached containers:</source>
            <translation>Verbundene Container:</translation>
        </message>
        <message>
            <source>Creating network %1</source>
            <translation>Netzwerk %1 wird angelegt</translation>
        </message>
        <message>
            <source>Network %1 created.</source>
            <translation>Netzwerk %1 angelegt.</translation>
        </message>
        <message>
            <source>The network %1 could not be created.</source>
            <translation>Das Netzwerk %1 konnte nicht angelegt werden.</translation>
        </message>
        <message>
            <source>Removing network %1</source>
            <translation>Netzwerk %1 wird entfernt</translation>
        </message>
        <message>
            <source>The network %1 could not be removed.</source>
            <translation>Das Netzwerk %1 konnte nicht entfernt werden.</translation>
        </message>
        <message>
            <source>Pruning networks</source>
            <translation>Netzwerke werden aufgeräumt</translation>
        </message>
        <message>
            <source>The unused networks could not be removed.</source>
            <translation>Die ungenutzten Netzwerke konnten nicht entfernt werden.</translation>
        </message>
        <message>
            <source>Remove Networks</source>
            <translation>Netzwerke entfernen</translation>
        </message>
        <message>
            <source>Prune Networks</source>
            <translation>Netzwerke aufräumen</translation>
        </message>
        <message>
            <source>Remove every user network that no container uses?</source>
            <translation>Alle eigenen Netzwerke entfernen, die kein Container nutzt?</translation>
        </message>
        <message numerus="yes">
            <source>%n network(s)</source>
            <translation>
                <numerusform>%n Netzwerk</numerusform>
                <numerusform>%n Netzwerke</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n network(s) removed.</source>
            <translation>
                <numerusform>%n Netzwerk entfernt.</numerusform>
                <numerusform>%n Netzwerke entfernt.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n network(s)?</source>
            <translation>
                <numerusform>%n Netzwerk entfernen?</numerusform>
                <numerusform>%n Netzwerke entfernen?</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::NetworksModel</name>
        <message>
            <source>%1 (built in)</source>
            <translation>%1 (eingebaut)</translation>
        </message>
        <message>
            <source>%1, internal</source>
            <translation>%1, intern</translation>
        </message>
        <message>
            <source>none running</source>
            <translation>keiner läuft</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Netzwerk</translation>
        </message>
        <message>
            <source>Driver</source>
            <translation>Treiber</translation>
        </message>
        <message>
            <source>Subnet</source>
            <translation>Subnetz</translation>
        </message>
        <message>
            <source>Gateway</source>
            <translation>Gateway</translation>
        </message>
        <message>
            <source>Containers (address)</source>
            <translation>Container (Adresse)</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::RuntimeModeText</name>
        <message>
            <source>resource limits</source>
            <translation>Ressourcengrenzen</translation>
        </message>
        <message>
            <source>ports below 1024</source>
            <translation>Ports unter 1024</translation>
        </message>
        <message>
            <source>ping</source>
            <translation>Ping</translation>
        </message>
        <message>
            <source>network</source>
            <translation>Netzwerk</translation>
        </message>
        <message>
            <source>other users in containers</source>
            <translation>weitere Benutzer in Containern</translation>
        </message>
        <message>
            <source>Root</source>
            <translation>Root-Modus</translation>
        </message>
        <message>
            <source>Rootless, single-id map</source>
            <translation>Ohne Root, Einzel-ID-Abbildung</translation>
        </message>
        <message>
            <source>Rootless</source>
            <translation>Ohne Root</translation>
        </message>
        <message>
            <source>%1 (no %2)</source>
            <translation>%1 (ohne %2)</translation>
        </message>
        <message>
            <source>Rootless mode: containers run in a user namespace, as your user.</source>
            <translation>Modus ohne Root: Container laufen in einem Benutzer-Namensraum, als Ihr Benutzer.</translation>
        </message>
        <message>
            <source>Root mode: containers run with the host's root privileges.</source>
            <translation>Root-Modus: Container laufen mit den Root-Rechten des Rechners.</translation>
        </message>
        <message numerus="yes">
            <source>%n feature(s) unavailable in this mode on this machine.</source>
            <translation>
                <numerusform>%n Funktion ist in diesem Modus auf diesem Rechner nicht verfügbar.</numerusform>
                <numerusform>%n Funktionen sind in diesem Modus auf diesem Rechner nicht verfügbar.</numerusform>
            </translation>
        </message>
        <message>
            <source>User ids inside → outside: %1</source>
            <translation>Benutzerkennungen innen → außen: %1</translation>
        </message>
        <message>
            <source>Network: %1</source>
            <translation>Netzwerk: %1</translation>
        </message>
        <message>
            <source>Root file systems: %1</source>
            <translation>Wurzeldateisysteme: %1</translation>
        </message>
        <message>
            <source>Control groups: %1</source>
            <translation>Kontrollgruppen: %1</translation>
        </message>
        <message>
            <source>%1: %2 (%3)</source>
            <translation>%1: %2 (%3)</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>ja</translation>
        </message>
        <message>
            <source>no</source>
            <translation>nein</translation>
        </message>
        <message>
            <source>Warning: %1</source>
            <translation>Warnung: %1</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TimeSeriesChart</name>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>%1 %2</source>
            <translation>%1 %2</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::NetworkCreateDialog</name>
        <message>
            <source>Create a Network</source>
            <translation>Netzwerk anlegen</translation>
        </message>
        <message>
            <source>e.g. 10.88.0.0/24; the next free one when empty</source>
            <translation>z. B. 10.88.0.0/24; das nächste freie, wenn leer</translation>
        </message>
        <message>
            <source>the subnet&apos;s first address when empty</source>
            <translation>die erste Adresse des Subnetzes, wenn leer</translation>
        </message>
        <message>
            <source>Internal (no traffic leaves the network)</source>
            <translation>Intern (kein Verkehr verlässt das Netzwerk)</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Name:</translation>
        </message>
        <message>
            <source>&amp;Subnet:</source>
            <translation>&amp;Subnetz:</translation>
        </message>
        <message>
            <source>&amp;Gateway:</source>
            <translation>&amp;Gateway:</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>&amp;Anlegen</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TerminalSession</name>
        <message>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TerminalTab</name>
        <message>
            <source>The command the terminal runs in the container</source>
            <translation>Der Befehl, den das Terminal im Container ausführt</translation>
        </message>
        <message>
            <source>Shell command</source>
            <translation>Shell-Befehl</translation>
        </message>
        <message>
            <source>Start Shell</source>
            <translation>Shell starten</translation>
        </message>
        <message>
            <source>End Shell</source>
            <translation>Shell beenden</translation>
        </message>
        <message>
            <source>The shell exited with code %1.</source>
            <translation>Die Shell wurde mit Code %1 beendet.</translation>
        </message>
        <message>
            <source>The shell could not run: %1</source>
            <translation>Die Shell konnte nicht laufen: %1</translation>
        </message>
        <message>
            <source>Select one running container to open a shell in it.</source>
            <translation>Wählen Sie einen laufenden Container, um darin eine Shell zu öffnen.</translation>
        </message>
        <message>
            <source>Shell in %1. Ctrl+Shift+C copies, Ctrl+Shift+V pastes, Shift+PageUp scrolls back.</source>
            <translation>Shell in %1. Strg+Umschalt+C kopiert, Strg+Umschalt+V fügt ein, Umschalt+Bild↑ blättert zurück.</translation>
        </message>
        <message>
            <source>%1 is not running: start it to open a shell in it.</source>
            <translation>%1 läuft nicht: Starten Sie ihn, um darin eine Shell zu öffnen.</translation>
        </message>
        <message>
            <source>No shell open in %1.</source>
            <translation>Keine Shell in %1 geöffnet.</translation>
        </message>
        <message>
            <source>Restart Shell</source>
            <translation>Shell neu starten</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TerminalView</name>
        <message>
            <source>Terminal</source>
            <translation>Terminal</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Paste</source>
            <translation>Einfügen</translation>
        </message>
    </context>
</TS>
