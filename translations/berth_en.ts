<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>Format</name>
        <message numerus="yes">
            <source>%n minute(s) ago</source>
            <translation>
                <numerusform>%n minute ago</numerusform>
                <numerusform>%n minutes ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s) ago</source>
            <translation>
                <numerusform>%n hour ago</numerusform>
                <numerusform>%n hours ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>%n day ago</numerusform>
                <numerusform>%n days ago</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ContainersPage</name>
        <message numerus="yes">
            <source>Remove %n container(s)?</source>
            <translation>
                <numerusform>Remove %n container?</numerusform>
                <numerusform>Remove %n containers?</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImageDetailsView</name>
        <message numerus="yes">
            <source>%n path(s)</source>
            <translation>
                <numerusform>%n path</numerusform>
                <numerusform>%n paths</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImagesPage</name>
        <message numerus="yes">
            <source>%n image(s), %1</source>
            <translation>
                <numerusform>%n image, %1</numerusform>
                <numerusform>%n images, %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n image(s)?</source>
            <translation>
                <numerusform>Remove %n image?</numerusform>
                <numerusform>Remove %n images?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n image(s)</source>
            <translation>
                <numerusform>%n image</numerusform>
                <numerusform>%n images</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::MainWindow</name>
        <message numerus="yes">
            <source>%n running</source>
            <translation>
                <numerusform>%n running</numerusform>
                <numerusform>%n running</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n container(s)</source>
            <translation>
                <numerusform>%n container</numerusform>
                <numerusform>%n containers</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n image(s)</source>
            <translation>
                <numerusform>%n image</numerusform>
                <numerusform>%n images</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TrayController</name>
        <message numerus="yes">
            <source>Berth: %n container(s) running</source>
            <translation>
                <numerusform>Berth: %n container running</numerusform>
                <numerusform>Berth: %n containers running</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::BuildDialog</name>
        <message numerus="yes">
            <source>%n branch(es) and tag(s) found.</source>
            <translation>
                <numerusform>%n branch(es) and tag found.</numerusform>
                <numerusform>%n branch(es) and tags found.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Built %1 in %n step(s), %2 from the cache.</source>
            <translation>
                <numerusform>Built %1 in %n step, %2 from the cache.</numerusform>
                <numerusform>Built %1 in %n steps, %2 from the cache.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::VolumesPage</name>
        <message numerus="yes">
            <source>%n volume(s)</source>
            <translation>
                <numerusform>%n volume</numerusform>
                <numerusform>%n volumes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n unused</source>
            <translation>
                <numerusform>%n unused</numerusform>
                <numerusform>%n unused</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s) selected</source>
            <translation>
                <numerusform>%n volume selected</numerusform>
                <numerusform>%n volumes selected</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s) removed, %1 reclaimed.</source>
            <translation>
                <numerusform>%n volume removed, %1 reclaimed.</numerusform>
                <numerusform>%n volumes removed, %1 reclaimed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n volume(s)? Their data is deleted.</source>
            <translation>
                <numerusform>Remove %n volume? Their data is deleted.</numerusform>
                <numerusform>Remove %n volumes? Their data is deleted.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The volume %1 was not removed: %n container(s) use it: %2.</source>
            <translation>
                <numerusform>The volume %1 was not removed: %n container uses it: %2.</numerusform>
                <numerusform>The volume %1 was not removed: %n containers use it: %2.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::NetworksPage</name>
        <message numerus="yes">
            <source>%n network(s)</source>
            <translation>
                <numerusform>%n network</numerusform>
                <numerusform>%n networks</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n network(s) removed.</source>
            <translation>
                <numerusform>%n network removed.</numerusform>
                <numerusform>%n networks removed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n network(s)?</source>
            <translation>
                <numerusform>Remove %n network?</numerusform>
                <numerusform>Remove %n networks?</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::RuntimeModeText</name>
        <message numerus="yes">
            <source>%n feature(s) unavailable in this mode on this machine.</source>
            <translation>
                <numerusform>%n feature is unavailable in this mode on this machine.</numerusform>
                <numerusform>%n features are unavailable in this mode on this machine.</numerusform>
            </translation>
        </message>
    </context>
</TS>
