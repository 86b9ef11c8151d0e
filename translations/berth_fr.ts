<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
    <context>
        <name>Format</name>
        <message>
            <source>just now</source>
            <translation>à l'instant</translation>
        </message>
        <message numerus="yes">
            <source>%n minute(s) ago</source>
            <translation>
                <numerusform>il y a %n minute</numerusform>
                <numerusform>il y a %n minutes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n hour(s) ago</source>
            <translation>
                <numerusform>il y a %n heure</numerusform>
                <numerusform>il y a %n heures</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n day(s) ago</source>
            <translation>
                <numerusform>il y a %n jour</numerusform>
                <numerusform>il y a %n jours</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 min</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 j %2 h</translation>
        </message>
    </context>
    <context>
        <name>berth::ui</name>
        <message>
            <source>"%1" is not an image reference Berth can pull.</source>
            <translation>« %1 » n'est pas une référence d'image que Berth peut récupérer.</translation>
        </message>
        <message>
            <source>The registry has no image %1.</source>
            <translation>Le registre n'a pas d'image %1.</translation>
        </message>
        <message>
            <source>The registry refused access to %1. Log in with "berth login" first.</source>
            <translation>Le registre refuse l'accès à %1. Connectez-vous d'abord avec « berth login ».</translation>
        </message>
        <message>
            <source>The registry of %1 could not be reached.</source>
            <translation>Le registre de %1 est injoignable.</translation>
        </message>
        <message>
            <source>The registry sent damaged data for %1; nothing was stored.</source>
            <translation>Le registre a envoyé des données endommagées pour %1 ; rien n'a été enregistré.</translation>
        </message>
        <message>
            <source>The image %1 is not available in a form Berth can use.</source>
            <translation>L'image %1 n'existe sous aucune forme utilisable par Berth.</translation>
        </message>
        <message>
            <source>Berth may not write the image %1 to the store.</source>
            <translation>Berth n'a pas le droit d'écrire l'image %1 dans le magasin.</translation>
        </message>
        <message>
            <source>The image %1 could not be pulled.</source>
            <translation>L'image %1 n'a pas pu être récupérée.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ContainerDetailsView</name>
        <message>
            <source>Logs</source>
            <translation>Journaux</translation>
        </message>
        <message>
            <source>Stats</source>
            <translation>Statistiques</translation>
        </message>
        <message>
            <source>Inspect</source>
            <translation>Inspecter</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Processus</translation>
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
            <translation>Mémoire</translation>
        </message>
        <message>
            <source>MiB</source>
            <translation>Mio</translation>
        </message>
        <message>
            <source>Used</source>
            <translation>Utilisée</translation>
        </message>
        <message>
            <source>Limit</source>
            <translation>Limite</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Réseau</translation>
        </message>
        <message>
            <source>KiB/s</source>
            <translation>Kio/s</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Reçu</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Envoyé</translation>
        </message>
        <message>
            <source>Block I/O</source>
            <translation>E/S disque</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>Lu</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Écrit</translation>
        </message>
        <message>
            <source>Inspecting container</source>
            <translation>Inspection du conteneur</translation>
        </message>
        <message>
            <source>Could not inspect the container: %1</source>
            <translation>Impossible d'inspecter le conteneur : %1</translation>
        </message>
        <message>
            <source>Listing processes</source>
            <translation>Liste des processus</translation>
        </message>
        <message>
            <source>No processes to show: %1</source>
            <translation>Aucun processus à afficher : %1</translation>
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
            <translation>Créé</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>En cours</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>En pause</translation>
        </message>
        <message>
            <source>Restarting</source>
            <translation>Redémarrage</translation>
        </message>
        <message>
            <source>Exited</source>
            <translation>Arrêté</translation>
        </message>
        <message>
            <source>Dead</source>
            <translation>Mort</translation>
        </message>
        <message>
            <source>Unknown</source>
            <translation>Inconnu</translation>
        </message>
        <message>
            <source>Exited (%1)</source>
            <translation>Arrêté (%1)</translation>
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
ID : %2
Commande : %3</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Image</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Mémoire</translation>
        </message>
        <message>
            <source>Ports</source>
            <translation>Ports</translation>
        </message>
        <message>
            <source>Uptime</source>
            <translation>Durée</translation>
        </message>
        <message>
            <source>Exited (%1), out of memory</source>
            <translation>Arrêté (%1), mémoire épuisée</translation>
        </message>
        <message>
            <source>Exited (%1), out of memory at %2</source>
            <translation>Arrêté (%1), mémoire épuisée à %2</translation>
        </message>
        <message>
            <source>Stopped</source>
            <translation>Arrêté à la demande</translation>
        </message>
        <message>
            <source>Exited (%1) after a stop that was asked for</source>
            <translation>Arrêté (%1) après un arrêt demandé</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ContainersPage</name>
        <message>
            <source>Containers</source>
            <translation>Conteneurs</translation>
        </message>
        <message>
            <source>Run…</source>
            <translation>Exécuter…</translation>
        </message>
        <message>
            <source>Run a new container</source>
            <translation>Exécuter un nouveau conteneur</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Démarrer</translation>
        </message>
        <message>
            <source>Start the selected containers</source>
            <translation>Démarrer les conteneurs sélectionnés</translation>
        </message>
        <message>
            <source>Stop</source>
            <translation>Arrêter</translation>
        </message>
        <message>
            <source>Stop the selected containers</source>
            <translation>Arrêter les conteneurs sélectionnés</translation>
        </message>
        <message>
            <source>Restart</source>
            <translation>Redémarrer</translation>
        </message>
        <message>
            <source>Restart the selected containers</source>
            <translation>Redémarrer les conteneurs sélectionnés</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Suspendre</translation>
        </message>
        <message>
            <source>Pause the selected containers</source>
            <translation>Suspendre les conteneurs sélectionnés</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Reprendre</translation>
        </message>
        <message>
            <source>Resume the selected paused containers</source>
            <translation>Reprendre les conteneurs suspendus sélectionnés</translation>
        </message>
        <message>
            <source>Kill</source>
            <translation>Tuer</translation>
        </message>
        <message>
            <source>Kill the selected containers at once</source>
            <translation>Tuer immédiatement les conteneurs sélectionnés</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Supprimer</translation>
        </message>
        <message>
            <source>Remove the selected containers</source>
            <translation>Supprimer les conteneurs sélectionnés</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Actualiser</translation>
        </message>
        <message>
            <source>Read the container list again</source>
            <translation>Relire la liste des conteneurs</translation>
        </message>
        <message>
            <source>Filter containers</source>
            <translation>Filtrer les conteneurs</translation>
        </message>
        <message>
            <source>No containers yet.
Choose Run… or open Images and run one with a double click.</source>
            <translation>Aucun conteneur pour l'instant.
Choisissez « Exécuter… » ou ouvrez « Images » et lancez-en une d'un double clic.</translation>
        </message>
        <message>
            <source>Listing containers</source>
            <translation>Liste des conteneurs</translation>
        </message>
        <message>
            <source>%1 running, %2 in all</source>
            <translation>%1 en cours, %2 au total</translation>
        </message>
        <message>
            <source>The list of containers could not be read.</source>
            <translation>La liste des conteneurs n'a pas pu être lue.</translation>
        </message>
        <message numerus="yes">
            <source>Remove %n container(s)?</source>
            <translation>
                <numerusform>Supprimer %n conteneur ?</numerusform>
                <numerusform>Supprimer %n conteneurs ?</numerusform>
            </translation>
        </message>
        <message>
            <source>Running containers will be killed first.</source>
            <translation>Les conteneurs en cours seront d'abord tués.</translation>
        </message>
        <message>
            <source>Remove Containers</source>
            <translation>Supprimer des conteneurs</translation>
        </message>
        <message>
            <source>Starting %1</source>
            <translation>Démarrage de %1</translation>
        </message>
        <message>
            <source>Stopping %1</source>
            <translation>Arrêt de %1</translation>
        </message>
        <message>
            <source>Restarting %1</source>
            <translation>Redémarrage de %1</translation>
        </message>
        <message>
            <source>Pausing %1</source>
            <translation>Suspension de %1</translation>
        </message>
        <message>
            <source>Resuming %1</source>
            <translation>Reprise de %1</translation>
        </message>
        <message>
            <source>Killing %1</source>
            <translation>Arrêt forcé de %1</translation>
        </message>
        <message>
            <source>Removing %1</source>
            <translation>Suppression de %1</translation>
        </message>
        <message>
            <source>The container %1 could not be started.</source>
            <translation>Le conteneur %1 n'a pas pu être démarré.</translation>
        </message>
        <message>
            <source>The container %1 could not be stopped.</source>
            <translation>Le conteneur %1 n'a pas pu être arrêté.</translation>
        </message>
        <message>
            <source>The container %1 could not be restarted.</source>
            <translation>Le conteneur %1 n'a pas pu être redémarré.</translation>
        </message>
        <message>
            <source>The container %1 could not be paused.</source>
            <translation>Le conteneur %1 n'a pas pu être suspendu.</translation>
        </message>
        <message>
            <source>The container %1 could not be resumed.</source>
            <translation>Le conteneur %1 n'a pas pu reprendre.</translation>
        </message>
        <message>
            <source>The container %1 could not be killed.</source>
            <translation>Le conteneur %1 n'a pas pu être tué.</translation>
        </message>
        <message>
            <source>The container %1 could not be removed.</source>
            <translation>Le conteneur %1 n'a pas pu être supprimé.</translation>
        </message>
        <message>
            <source>Open in Browser</source>
            <translation>Ouvrir dans le navigateur</translation>
        </message>
        <message>
            <source>Open the container&apos;s published port in the web browser</source>
            <translation>Ouvrir le port publié du conteneur dans le navigateur web</translation>
        </message>
        <message>
            <source>No web browser could open %1.</source>
            <translation>Aucun navigateur web n&apos;a pu ouvrir %1.</translation>
        </message>
        <message>
            <source>Starting…</source>
            <translation>Démarrage…</translation>
        </message>
        <message>
            <source>Stopping…</source>
            <translation>Arrêt…</translation>
        </message>
        <message>
            <source>Restarting…</source>
            <translation>Redémarrage…</translation>
        </message>
        <message>
            <source>Pausing…</source>
            <translation>Mise en pause…</translation>
        </message>
        <message>
            <source>Resuming…</source>
            <translation>Reprise…</translation>
        </message>
        <message>
            <source>Killing…</source>
            <translation>Arrêt forcé…</translation>
        </message>
        <message>
            <source>Removing…</source>
            <translation>Suppression…</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::DashboardPage</name>
        <message>
            <source>Dashboard</source>
            <translation>Tableau de bord</translation>
        </message>
        <message>
            <source>Live CPU and memory of the running containers and of this machine</source>
            <translation>CPU et mémoire en direct des conteneurs en cours et de cette machine</translation>
        </message>
        <message>
            <source>Running containers</source>
            <translation>Conteneurs en cours</translation>
        </message>
        <message>
            <source>Host CPU</source>
            <translation>CPU de l'hôte</translation>
        </message>
        <message>
            <source>Host memory</source>
            <translation>Mémoire de l'hôte</translation>
        </message>
        <message>
            <source>Containers: CPU</source>
            <translation>Conteneurs : CPU</translation>
        </message>
        <message>
            <source>% of one core</source>
            <translation>% d'un cœur</translation>
        </message>
        <message>
            <source>Containers: memory</source>
            <translation>Conteneurs : mémoire</translation>
        </message>
        <message>
            <source>MiB</source>
            <translation>Mio</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Hôte</translation>
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
            <translation>Mémoire</translation>
        </message>
        <message>
            <source>Container</source>
            <translation>Conteneur</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Processus</translation>
        </message>
        <message>
            <source>Top consumers</source>
            <translation>Plus gros consommateurs</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ErrorDialog</name>
        <message>
            <source>Berth lacks the permission it needs. Running containers needs root or a rootless set-up.</source>
            <translation>Berth n'a pas l'autorisation nécessaire. Les conteneurs exigent root ou une configuration sans root.</translation>
        </message>
        <message>
            <source>The image is not in the store. Load or pull it first.</source>
            <translation>L'image n'est pas dans le magasin. Chargez-la ou récupérez-la d'abord.</translation>
        </message>
        <message>
            <source>The container no longer exists.</source>
            <translation>Le conteneur n'existe plus.</translation>
        </message>
        <message>
            <source>A container still uses it. Remove that container first.</source>
            <translation>Un conteneur l'utilise encore. Supprimez d'abord ce conteneur.</translation>
        </message>
        <message>
            <source>The name is already taken. Choose another one.</source>
            <translation>Ce nom est déjà pris. Choisissez-en un autre.</translation>
        </message>
        <message>
            <source>This engine build cannot do that yet.</source>
            <translation>Cette version du moteur ne sait pas encore le faire.</translation>
        </message>
        <message>
            <source>The disk is full.</source>
            <translation>Le disque est plein.</translation>
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
            <translation>Créé</translation>
        </message>
        <message>
            <source>Created by</source>
            <translation>Créé par</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>Commentaire</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImageDetailsView</name>
        <message>
            <source>Overview</source>
            <translation>Aperçu</translation>
        </message>
        <message>
            <source>Layers</source>
            <translation>Couches</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Historique</translation>
        </message>
        <message>
            <source>Files</source>
            <translation>Fichiers</translation>
        </message>
        <message>
            <source>ID</source>
            <translation>ID</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Créé</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>Plateforme</translation>
        </message>
        <message>
            <source>Entrypoint</source>
            <translation>Point d'entrée</translation>
        </message>
        <message>
            <source>Command</source>
            <translation>Commande</translation>
        </message>
        <message>
            <source>Working directory</source>
            <translation>Répertoire de travail</translation>
        </message>
        <message>
            <source>User</source>
            <translation>Utilisateur</translation>
        </message>
        <message>
            <source>Environment</source>
            <translation>Environnement</translation>
        </message>
        <message>
            <source>Exposed ports</source>
            <translation>Ports exposés</translation>
        </message>
        <message>
            <source>Volumes</source>
            <translation>Volumes</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>Étiquettes</translation>
        </message>
        <message>
            <source>Author</source>
            <translation>Auteur</translation>
        </message>
        <message>
            <source>Filter files by name</source>
            <translation>Filtrer les fichiers par nom</translation>
        </message>
        <message>
            <source>Filter files</source>
            <translation>Filtrer les fichiers</translation>
        </message>
        <message>
            <source>Image files</source>
            <translation>Fichiers de l'image</translation>
        </message>
        <message>
            <source>Reading image %1</source>
            <translation>Lecture de l'image %1</translation>
        </message>
        <message>
            <source>The image details could not be read: %1</source>
            <translation>Les détails de l'image n'ont pas pu être lus : %1</translation>
        </message>
        <message>
            <source>—</source>
            <translation>—</translation>
        </message>
        <message>
            <source>Reading files…</source>
            <translation>Lecture des fichiers…</translation>
        </message>
        <message>
            <source>Reading files of %1</source>
            <translation>Lecture des fichiers de %1</translation>
        </message>
        <message numerus="yes">
            <source>%n path(s)</source>
            <translation>
                <numerusform>%n chemin</numerusform>
                <numerusform>%n chemins</numerusform>
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
            <translation>Ajouté</translation>
        </message>
        <message>
            <source>Changed</source>
            <translation>Modifié</translation>
        </message>
        <message>
            <source>Deleted</source>
            <translation>Supprimé</translation>
        </message>
        <message>
            <source>Last touched by layer %1</source>
            <translation>Modifié en dernier par la couche %1</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Nom</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Taille</translation>
        </message>
        <message>
            <source>Layer</source>
            <translation>Couche</translation>
        </message>
        <message>
            <source>Change</source>
            <translation>Changement</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImagesModel</name>
        <message>
            <source>Repository</source>
            <translation>Dépôt</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Étiquette</translation>
        </message>
        <message>
            <source>Image ID</source>
            <translation>ID de l'image</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Créé</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Taille</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::ImagesPage</name>
        <message>
            <source>Build…</source>
            <translation>Construire…</translation>
        </message>
        <message>
            <source>Build an image from a Dockerfile</source>
            <translation>Construire une image à partir d’un Dockerfile</translation>
        </message>
        <message>
            <source>Built %1</source>
            <translation>%1 construite</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Images</translation>
        </message>
        <message>
            <source>Run…</source>
            <translation>Exécuter…</translation>
        </message>
        <message>
            <source>Run a container from this image</source>
            <translation>Exécuter un conteneur depuis cette image</translation>
        </message>
        <message>
            <source>Tag…</source>
            <translation>Étiqueter…</translation>
        </message>
        <message>
            <source>Give this image another name</source>
            <translation>Donner un autre nom à cette image</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Supprimer</translation>
        </message>
        <message>
            <source>Remove this image</source>
            <translation>Supprimer cette image</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>Enregistrer…</translation>
        </message>
        <message>
            <source>Save this image to an archive</source>
            <translation>Enregistrer cette image dans une archive</translation>
        </message>
        <message>
            <source>Load…</source>
            <translation>Charger…</translation>
        </message>
        <message>
            <source>Load images from an archive</source>
            <translation>Charger des images depuis une archive</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Actualiser</translation>
        </message>
        <message>
            <source>Read the image list again</source>
            <translation>Relire la liste des images</translation>
        </message>
        <message>
            <source>Filter images</source>
            <translation>Filtrer les images</translation>
        </message>
        <message>
            <source>Listing images</source>
            <translation>Liste des images</translation>
        </message>
        <message numerus="yes">
            <source>%n image(s), %1</source>
            <translation>
                <numerusform>%n image, %1</numerusform>
                <numerusform>%n images, %1</numerusform>
            </translation>
        </message>
        <message>
            <source>The list of images could not be read.</source>
            <translation>La liste des images n'a pas pu être lue.</translation>
        </message>
        <message>
            <source>Tag Image</source>
            <translation>Étiqueter l'image</translation>
        </message>
        <message>
            <source>New name for %1 (name:tag):</source>
            <translation>Nouveau nom pour %1 (nom:étiquette) :</translation>
        </message>
        <message>
            <source>Tagging %1</source>
            <translation>Étiquetage de %1</translation>
        </message>
        <message>
            <source>Tagged as %1</source>
            <translation>Étiquetée %1</translation>
        </message>
        <message>
            <source>The image could not be tagged as %1.</source>
            <translation>L'image n'a pas pu être étiquetée %1.</translation>
        </message>
        <message>
            <source>Remove Images</source>
            <translation>Supprimer des images</translation>
        </message>
        <message numerus="yes">
            <source>Remove %n image(s)?</source>
            <translation>
                <numerusform>Supprimer %n image ?</numerusform>
                <numerusform>Supprimer %n images ?</numerusform>
            </translation>
        </message>
        <message>
            <source>Removing %1</source>
            <translation>Suppression de %1</translation>
        </message>
        <message>
            <source>Removed %1</source>
            <translation>%1 supprimée</translation>
        </message>
        <message>
            <source>The image %1 could not be removed.</source>
            <translation>L'image %1 n'a pas pu être supprimée.</translation>
        </message>
        <message>
            <source>Save Image</source>
            <translation>Enregistrer l'image</translation>
        </message>
        <message>
            <source>Image archives (*.tar);;All files (*)</source>
            <translation>Archives d'images (*.tar);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>Saving %1</source>
            <translation>Enregistrement de %1</translation>
        </message>
        <message>
            <source>Saved to %1</source>
            <translation>Enregistrée dans %1</translation>
        </message>
        <message>
            <source>The image could not be saved to %1.</source>
            <translation>L'image n'a pas pu être enregistrée dans %1.</translation>
        </message>
        <message>
            <source>Load Images</source>
            <translation>Charger des images</translation>
        </message>
        <message>
            <source>Image archives (*.tar *.tar.gz *.tgz *.tar.zst);;All files (*)</source>
            <translation>Archives d'images (*.tar *.tar.gz *.tgz *.tar.zst);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>Loading %1</source>
            <translation>Chargement de %1</translation>
        </message>
        <message>
            <source>Loaded %1</source>
            <translation>%1 chargée</translation>
        </message>
        <message>
            <source>The images in %1 could not be loaded.</source>
            <translation>Les images de %1 n'ont pas pu être chargées.</translation>
        </message>
        <message>
            <source>Pull…</source>
            <translation>Récupérer…</translation>
        </message>
        <message>
            <source>Download an image from a registry</source>
            <translation>Télécharger une image depuis un registre</translation>
        </message>
        <message>
            <source>Pulled %1</source>
            <translation>%1 récupérée</translation>
        </message>
        <message numerus="yes">
            <source>%n image(s)</source>
            <translation>
                <numerusform>%n image</numerusform>
                <numerusform>%n images</numerusform>
            </translation>
        </message>
        <message>
            <source>Force Remove removes the image&apos;s name anyway; the containers made from it keep running and keep its layers until they are removed.</source>
            <translation>« Forcer la suppression » retire quand même le nom de l&apos;image ; les conteneurs créés à partir d&apos;elle continuent de tourner et gardent ses couches jusqu&apos;à leur suppression.</translation>
        </message>
        <message>
            <source>&amp;Force Remove</source>
            <translation>&amp;Forcer la suppression</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::JsonTree</name>
        <message>
            <source>Key</source>
            <translation>Clé</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>Valeur</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::LayersModel</name>
        <message>
            <source>#</source>
            <translation>n°</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Taille</translation>
        </message>
        <message>
            <source>Digest</source>
            <translation>Empreinte</translation>
        </message>
        <message>
            <source>Created by</source>
            <translation>Créé par</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::LogView</name>
        <message>
            <source>Follow</source>
            <translation>Suivre</translation>
        </message>
        <message>
            <source>Timestamps</source>
            <translation>Horodatage</translation>
        </message>
        <message>
            <source>Search logs (Ctrl+F)</source>
            <translation>Rechercher dans les journaux (Ctrl+F)</translation>
        </message>
        <message>
            <source>Search logs</source>
            <translation>Rechercher dans les journaux</translation>
        </message>
        <message>
            <source>Regex</source>
            <translation>Regex</translation>
        </message>
        <message>
            <source>Treat the search text as a regular expression</source>
            <translation>Traiter le texte comme une expression régulière</translation>
        </message>
        <message>
            <source>Previous</source>
            <translation>Précédent</translation>
        </message>
        <message>
            <source>Previous match (Shift+F3)</source>
            <translation>Occurrence précédente (Maj+F3)</translation>
        </message>
        <message>
            <source>Next</source>
            <translation>Suivant</translation>
        </message>
        <message>
            <source>Next match (F3)</source>
            <translation>Occurrence suivante (F3)</translation>
        </message>
        <message>
            <source>Save…</source>
            <translation>Enregistrer…</translation>
        </message>
        <message>
            <source>Log lines</source>
            <translation>Lignes du journal</translation>
        </message>
        <message>
            <source>Line %1</source>
            <translation>Ligne %1</translation>
        </message>
        <message>
            <source>No match</source>
            <translation>Aucune occurrence</translation>
        </message>
        <message>
            <source>Invalid pattern</source>
            <translation>Motif invalide</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Recherche…</translation>
        </message>
        <message>
            <source>Save Log</source>
            <translation>Enregistrer le journal</translation>
        </message>
        <message>
            <source>Text files (*.log *.txt);;All files (*)</source>
            <translation>Fichiers texte (*.log *.txt);;Tous les fichiers (*)</translation>
        </message>
        <message>
            <source>The log could not be saved to %1.</source>
            <translation>Le journal n'a pas pu être enregistré dans %1.</translation>
        </message>
        <message>
            <source>Saved</source>
            <translation>Enregistré</translation>
        </message>
        <message>
            <source>Keep showing the newest lines (Ctrl+End)</source>
            <translation>Toujours afficher les dernières lignes (Ctrl+Fin)</translation>
        </message>
        <message>
            <source>Show when each line was written (Ctrl+Shift+T)</source>
            <translation>Afficher quand chaque ligne a été écrite (Ctrl+Maj+T)</translation>
        </message>
        <message>
            <source>Save the log to a file (Ctrl+Shift+S)</source>
            <translation>Enregistrer le journal dans un fichier (Ctrl+Maj+S)</translation>
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
            <translation>Une erreur est survenue : %1.</translation>
        </message>
        <message>
            <source>Containers</source>
            <translation>Conteneurs</translation>
        </message>
        <message>
            <source>Images</source>
            <translation>Images</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Tableau de bord</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Quitter</translation>
        </message>
        <message>
            <source>Sections</source>
            <translation>Sections</translation>
        </message>
        <message>
            <source>Store: %1</source>
            <translation>Magasin : %1</translation>
        </message>
        <message>
            <source>The container store this window shows</source>
            <translation>Le magasin de conteneurs affiché par cette fenêtre</translation>
        </message>
        <message>
            <source>Running %1</source>
            <translation>Exécution de %1</translation>
        </message>
        <message>
            <source>Creating a container from %1</source>
            <translation>Création d'un conteneur depuis %1</translation>
        </message>
        <message>
            <source>The container could not be started from %1.</source>
            <translation>Le conteneur n'a pas pu être démarré depuis %1.</translation>
        </message>
        <message>
            <source>The container could not be created from %1.</source>
            <translation>Le conteneur n'a pas pu être créé depuis %1.</translation>
        </message>
        <message>
            <source>Preferences…</source>
            <translation>Préférences…</translation>
        </message>
        <message>
            <source>Language and stats interval (Ctrl+,)</source>
            <translation>Langue et intervalle des statistiques (Ctrl+,)</translation>
        </message>
        <message>
            <source>Volumes</source>
            <translation>Volumes</translation>
        </message>
        <message>
            <source>Networks</source>
            <translation>Réseaux</translation>
        </message>
        <message numerus="yes">
            <source>%n running</source>
            <translation>
                <numerusform>%n en cours</numerusform>
                <numerusform>%n en cours</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n container(s)</source>
            <translation>
                <numerusform>%n conteneur</numerusform>
                <numerusform>%n conteneurs</numerusform>
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
        <name>berth::ui::PreferencesDialog</name>
        <message>
            <source>Preferences</source>
            <translation>Préférences</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Langue du système</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Langue</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Langue :</translation>
        </message>
        <message>
            <source>&amp;Stats interval:</source>
            <translation>Intervalle des &amp;statistiques :</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Stats sampling interval in milliseconds</source>
            <translation>Intervalle d'échantillonnage des statistiques en millisecondes</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::PullDialog</name>
        <message>
            <source>Pull Image</source>
            <translation>Récupérer une image</translation>
        </message>
        <message>
            <source>&amp;Image:</source>
            <translation>&amp;Image :</translation>
        </message>
        <message>
            <source>P&amp;latform:</source>
            <translation>P&amp;lateforme :</translation>
        </message>
        <message>
            <source>for example busybox:latest or registry.example.com/team/app:1.2</source>
            <translation>par exemple busybox:latest ou registry.example.com/equipe/app:1.2</translation>
        </message>
        <message>
            <source>Image reference</source>
            <translation>Référence de l'image</translation>
        </message>
        <message>
            <source>optional, for example linux/arm64 (default: this computer's)</source>
            <translation>facultatif, par exemple linux/arm64 (par défaut : celle de cet ordinateur)</translation>
        </message>
        <message>
            <source>Platform</source>
            <translation>Plateforme</translation>
        </message>
        <message>
            <source>Overall progress</source>
            <translation>Progression totale</translation>
        </message>
        <message>
            <source>Layers</source>
            <translation>Couches</translation>
        </message>
        <message>
            <source>Details…</source>
            <translation>Détails…</translation>
        </message>
        <message>
            <source>&amp;Pull</source>
            <translation>&amp;Récupérer</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>&amp;Annuler</translation>
        </message>
        <message>
            <source>&amp;Close</source>
            <translation>&amp;Fermer</translation>
        </message>
        <message>
            <source>"%1" is not a platform. Write it as os/architecture, for example linux/amd64.</source>
            <translation>« %1 » n'est pas une plateforme. Écrivez-la sous la forme os/architecture, par exemple linux/amd64.</translation>
        </message>
        <message>
            <source>Pulling %1…</source>
            <translation>Récupération de %1…</translation>
        </message>
        <message>
            <source>Pulling %1</source>
            <translation>Récupération de %1</translation>
        </message>
        <message>
            <source>Pulled %1.</source>
            <translation>%1 récupérée.</translation>
        </message>
        <message>
            <source>%1 is up to date.</source>
            <translation>%1 est à jour.</translation>
        </message>
        <message>
            <source>The pull was cancelled; nothing was stored.</source>
            <translation>La récupération a été annulée ; rien n'a été enregistré.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::PullLayersModel</name>
        <message>
            <source>Waiting</source>
            <translation>En attente</translation>
        </message>
        <message>
            <source>Downloading</source>
            <translation>Téléchargement</translation>
        </message>
        <message>
            <source>Retrying</source>
            <translation>Nouvel essai</translation>
        </message>
        <message>
            <source>Verifying checksum</source>
            <translation>Vérification de la somme de contrôle</translation>
        </message>
        <message>
            <source>Download complete</source>
            <translation>Téléchargement terminé</translation>
        </message>
        <message>
            <source>Extracting</source>
            <translation>Extraction</translation>
        </message>
        <message>
            <source>Pull complete</source>
            <translation>Terminé</translation>
        </message>
        <message>
            <source>Already exists</source>
            <translation>Déjà présente</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 sur %2</translation>
        </message>
        <message>
            <source>Layer %1: %2, %3 of %4</source>
            <translation>Couche %1 : %2, %3 sur %4</translation>
        </message>
        <message>
            <source>Layer</source>
            <translation>Couche</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Progression</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::RunDialog</name>
        <message>
            <source>Run a Container</source>
            <translation>Exécuter un conteneur</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>Image</translation>
        </message>
        <message>
            <source>chosen at random when empty</source>
            <translation>choisi au hasard si vide</translation>
        </message>
        <message>
            <source>the image's default command when empty</source>
            <translation>commande par défaut de l'image si vide</translation>
        </message>
        <message>
            <source>the image's entrypoint when empty</source>
            <translation>point d'entrée de l'image si vide</translation>
        </message>
        <message>
            <source>One KEY=value per line</source>
            <translation>Une CLÉ=valeur par ligne</translation>
        </message>
        <message>
            <source>&amp;Image:</source>
            <translation>&amp;Image :</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Nom :</translation>
        </message>
        <message>
            <source>&amp;Command:</source>
            <translation>&amp;Commande :</translation>
        </message>
        <message>
            <source>&amp;Entrypoint:</source>
            <translation>Point d'&amp;entrée :</translation>
        </message>
        <message>
            <source>&amp;Ports:</source>
            <translation>&amp;Ports :</translation>
        </message>
        <message>
            <source>En&amp;vironment:</source>
            <translation>En&amp;vironnement :</translation>
        </message>
        <message>
            <source>General</source>
            <translation>Général</translation>
        </message>
        <message>
            <source>uid[:gid] or a user name of the image</source>
            <translation>uid[:gid] ou un nom d'utilisateur de l'image</translation>
        </message>
        <message>
            <source>e.g. 256m or 1g; unlimited when empty</source>
            <translation>p. ex. 256m ou 1g ; illimité si vide</translation>
        </message>
        <message>
            <source>e.g. 0.5 or 2; unlimited when empty</source>
            <translation>p. ex. 0.5 ou 2 ; illimité si vide</translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>illimité</translation>
        </message>
        <message>
            <source>Never</source>
            <translation>Jamais</translation>
        </message>
        <message>
            <source>On failure</source>
            <translation>En cas d'échec</translation>
        </message>
        <message>
            <source>Always</source>
            <translation>Toujours</translation>
        </message>
        <message>
            <source>Unless stopped</source>
            <translation>Sauf si arrêté</translation>
        </message>
        <message>
            <source>Read-only root file system</source>
            <translation>Système de fichiers racine en lecture seule</translation>
        </message>
        <message>
            <source>Privileged (all capabilities, no seccomp)</source>
            <translation>Privilégié (toutes les capacités, sans seccomp)</translation>
        </message>
        <message>
            <source>Remove the container when it exits</source>
            <translation>Supprimer le conteneur quand il s'arrête</translation>
        </message>
        <message>
            <source>&amp;Working directory:</source>
            <translation>&amp;Répertoire de travail :</translation>
        </message>
        <message>
            <source>&amp;User:</source>
            <translation>&amp;Utilisateur :</translation>
        </message>
        <message>
            <source>&amp;Hostname:</source>
            <translation>Nom d'&amp;hôte :</translation>
        </message>
        <message>
            <source>&amp;Memory limit:</source>
            <translation>Limite de &amp;mémoire :</translation>
        </message>
        <message>
            <source>C&amp;PU limit:</source>
            <translation>Limite C&amp;PU :</translation>
        </message>
        <message>
            <source>Process &amp;limit:</source>
            <translation>&amp;Limite de processus :</translation>
        </message>
        <message>
            <source>&amp;Restart policy:</source>
            <translation>Politique de &amp;redémarrage :</translation>
        </message>
        <message>
            <source>Resources and security</source>
            <translation>Ressources et sécurité</translation>
        </message>
        <message>
            <source>Start the container now</source>
            <translation>Démarrer le conteneur maintenant</translation>
        </message>
        <message>
            <source>&amp;Run</source>
            <translation>E&amp;xécuter</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>C&amp;réer</translation>
        </message>
        <message>
            <source>no limit</source>
            <translation>sans limite</translation>
        </message>
        <message>
            <source>Give the container a terminal (-t)</source>
            <translation>Donner un terminal au conteneur (-t)</translation>
        </message>
        <message>
            <source>memory + swap, e.g. 1g; -1 for unlimited swap</source>
            <translation>mémoire + swap, p. ex. 1g ; -1 pour un swap illimité</translation>
        </message>
        <message>
            <source>default</source>
            <translation>par défaut</translation>
        </message>
        <message>
            <source>e.g. 0-1 or 0,2; all CPUs when empty</source>
            <translation>p. ex. 0-1 ou 0,2 ; vide : tous les processeurs</translation>
        </message>
        <message>
            <source>e.g. /run:size=64m, /cache</source>
            <translation>p. ex. /run:size=64m, /cache</translation>
        </message>
        <message>
            <source>e.g. NET_ADMIN, SYS_PTRACE</source>
            <translation>p. ex. NET_ADMIN, SYS_PTRACE</translation>
        </message>
        <message>
            <source>e.g. NET_RAW, or ALL</source>
            <translation>p. ex. NET_RAW, ou ALL</translation>
        </message>
        <message>
            <source>the default profile when empty; "unconfined" or a JSON file</source>
            <translation>vide : le profil par défaut ; « unconfined » ou un fichier JSON</translation>
        </message>
        <message>
            <source>No new privileges (setuid programs gain nothing)</source>
            <translation>Aucun nouveau privilège (les programmes setuid n'obtiennent rien)</translation>
        </message>
        <message>
            <source>e.g. 10m; unlimited when empty</source>
            <translation>p. ex. 10m ; vide : illimité</translation>
        </message>
        <message>
            <source>e.g. nofile=1024:2048, nproc=512</source>
            <translation>p. ex. nofile=1024:2048, nproc=512</translation>
        </message>
        <message>
            <source>One key=value per line</source>
            <translation>Une clé=valeur par ligne</translation>
        </message>
        <message>
            <source>Restart &amp;retries:</source>
            <translation>&amp;Tentatives de redémarrage :</translation>
        </message>
        <message>
            <source>Memory + &amp;swap:</source>
            <translation>Mémoire + &amp;swap :</translation>
        </message>
        <message>
            <source>CPU s&amp;hares:</source>
            <translation>&amp;Parts de CPU :</translation>
        </message>
        <message>
            <source>CPU se&amp;t:</source>
            <translation>&amp;Jeu de CPU :</translation>
        </message>
        <message>
            <source>&amp;tmpfs mounts:</source>
            <translation>Montages &amp;tmpfs :</translation>
        </message>
        <message>
            <source>&amp;Add capabilities:</source>
            <translation>&amp;Ajouter des capacités :</translation>
        </message>
        <message>
            <source>&amp;Drop capabilities:</source>
            <translation>&amp;Retirer des capacités :</translation>
        </message>
        <message>
            <source>Secco&amp;mp profile:</source>
            <translation>Profil secco&amp;mp :</translation>
        </message>
        <message>
            <source>&amp;Log file size:</source>
            <translation>Taille du &amp;journal :</translation>
        </message>
        <message>
            <source>Log &amp;files kept:</source>
            <translation>&amp;Fichiers de journal gardés :</translation>
        </message>
        <message>
            <source>&amp;Ulimits:</source>
            <translation>&amp;Ulimits :</translation>
        </message>
        <message>
            <source>La&amp;bels:</source>
            <translation>Éti&amp;quettes :</translation>
        </message>
        <message>
            <source>More</source>
            <translation>Plus</translation>
        </message>
        <message>
            <source>Published ports</source>
            <translation>Ports publiés</translation>
        </message>
        <message>
            <source>Host IP</source>
            <translation>IP de l&apos;hôte</translation>
        </message>
        <message>
            <source>Host port</source>
            <translation>Port de l&apos;hôte</translation>
        </message>
        <message>
            <source>Container port</source>
            <translation>Port du conteneur</translation>
        </message>
        <message>
            <source>Protocol</source>
            <translation>Protocole</translation>
        </message>
        <message>
            <source>An empty host IP listens on every address; an empty host port picks a free one.</source>
            <translation>Une IP d&apos;hôte vide écoute sur toutes les adresses ; un port d&apos;hôte vide en choisit un libre.</translation>
        </message>
        <message>
            <source>Volumes and bind mounts</source>
            <translation>Volumes et montages liés</translation>
        </message>
        <message>
            <source>Volume or host path</source>
            <translation>Volume ou chemin de l&apos;hôte</translation>
        </message>
        <message>
            <source>Path in the container</source>
            <translation>Chemin dans le conteneur</translation>
        </message>
        <message>
            <source>Read-only</source>
            <translation>Lecture seule</translation>
        </message>
        <message>
            <source>A name is a volume (created when missing), an absolute path a host folder that must exist; empty makes an anonymous volume.</source>
            <translation>Un nom désigne un volume (créé s&apos;il manque), un chemin absolu un dossier de l&apos;hôte qui doit exister ; vide crée un volume anonyme.</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Réseau</translation>
        </message>
        <message>
            <source>Default (bridge)</source>
            <translation>Par défaut (bridge)</translation>
        </message>
        <message>
            <source>Add Port</source>
            <translation>Ajouter un port</translation>
        </message>
        <message>
            <source>Remove Port</source>
            <translation>Retirer le port</translation>
        </message>
        <message>
            <source>&amp;Volumes:</source>
            <translation>&amp;Volumes :</translation>
        </message>
        <message>
            <source>Add Volume</source>
            <translation>Ajouter un volume</translation>
        </message>
        <message>
            <source>Remove Volume</source>
            <translation>Retirer le volume</translation>
        </message>
        <message>
            <source>Net&amp;work:</source>
            <translation>Rése&amp;au :</translation>
        </message>
        <message>
            <source>Ports, volumes and network</source>
            <translation>Ports, volumes et réseau</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::StatsHistoryModel</name>
        <message>
            <source>Time</source>
            <translation>Heure</translation>
        </message>
        <message>
            <source>CPU %</source>
            <translation>CPU %</translation>
        </message>
        <message>
            <source>Memory (MiB)</source>
            <translation>Mémoire (Mio)</translation>
        </message>
        <message>
            <source>Memory limit (MiB)</source>
            <translation>Limite de mémoire (Mio)</translation>
        </message>
        <message>
            <source>Received (KiB/s)</source>
            <translation>Reçu (Kio/s)</translation>
        </message>
        <message>
            <source>Sent (KiB/s)</source>
            <translation>Envoyé (Kio/s)</translation>
        </message>
        <message>
            <source>Read (KiB/s)</source>
            <translation>Lu (Kio/s)</translation>
        </message>
        <message>
            <source>Written (KiB/s)</source>
            <translation>Écrit (Kio/s)</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Processus</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TrayController</name>
        <message>
            <source>Show Berth</source>
            <translation>Afficher Berth</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Quitter</translation>
        </message>
        <message numerus="yes">
            <source>Berth: %n container(s) running</source>
            <translation>
                <numerusform>Berth : %n conteneur en cours</numerusform>
                <numerusform>Berth : %n conteneurs en cours</numerusform>
            </translation>
        </message>
        <message>
            <source>Container exited</source>
            <translation>Conteneur arrêté</translation>
        </message>
        <message>
            <source>%1 exited with code %2.</source>
            <translation>%1 s'est arrêté avec le code %2.</translation>
        </message>
        <message>
            <source>Container out of memory</source>
            <translation>Conteneur à court de mémoire</translation>
        </message>
        <message>
            <source>%1 was killed because it ran out of memory.</source>
            <translation>%1 a été tué faute de mémoire.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Berth: containers, images and live dashboards</source>
            <translation>Berth : conteneurs, images et tableaux de bord en direct</translation>
        </message>
        <message>
            <source>The store to open (default: BERTH_ROOT or the user's store).</source>
            <translation>Le magasin à ouvrir (par défaut : BERTH_ROOT ou celui de l'utilisateur).</translation>
        </message>
        <message>
            <source>Where runtime state lives.</source>
            <translation>Où se trouve l'état d'exécution.</translation>
        </message>
        <message>
            <source>Stats sampling interval in milliseconds.</source>
            <translation>Intervalle d'échantillonnage des statistiques en millisecondes.</translation>
        </message>
        <message>
            <source>Berth could not open its container store.</source>
            <translation>Berth n'a pas pu ouvrir son magasin de conteneurs.</translation>
        </message>
        <message>
            <source>The page to open: containers, images or dashboard.</source>
            <translation>La page à ouvrir : containers, images ou dashboard.</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::BuildDialog</name>
        <message>
            <source>Something the build needs was not found.</source>
            <translation>Un élément nécessaire à la construction est introuvable.</translation>
        </message>
        <message>
            <source>The Dockerfile or the build settings are not valid.</source>
            <translation>Le Dockerfile ou les réglages de construction ne sont pas valides.</translation>
        </message>
        <message>
            <source>The build was refused access to a file or path.</source>
            <translation>L’accès à un fichier ou à un chemin a été refusé à la construction.</translation>
        </message>
        <message>
            <source>A repository or registry could not be reached.</source>
            <translation>Un dépôt ou un registre est injoignable.</translation>
        </message>
        <message>
            <source>A repository or registry refused access.</source>
            <translation>Un dépôt ou un registre a refusé l’accès.</translation>
        </message>
        <message>
            <source>The image could not be built.</source>
            <translation>L’image n’a pas pu être construite.</translation>
        </message>
        <message>
            <source>Build Context Folder</source>
            <translation>Dossier du contexte de construction</translation>
        </message>
        <message>
            <source>Build Image</source>
            <translation>Construire une image</translation>
        </message>
        <message>
            <source>&amp;Folder:</source>
            <translation>&amp;Dossier :</translation>
        </message>
        <message>
            <source>&amp;Git repository:</source>
            <translation>Dépôt &amp;Git :</translation>
        </message>
        <message>
            <source>B&amp;rowse…</source>
            <translation>&amp;Parcourir…</translation>
        </message>
        <message>
            <source>the folder with the Dockerfile and the files it copies</source>
            <translation>le dossier contenant le Dockerfile et les fichiers qu’il copie</translation>
        </message>
        <message>
            <source>Context folder</source>
            <translation>Dossier de contexte</translation>
        </message>
        <message>
            <source>for example https://example.com/team/app.git or /srv/git/app.git</source>
            <translation>par exemple https://example.com/team/app.git ou /srv/git/app.git</translation>
        </message>
        <message>
            <source>Git repository</source>
            <translation>Dépôt Git</translation>
        </message>
        <message>
            <source>&amp;Branch or tag:</source>
            <translation>&amp;Branche ou étiquette :</translation>
        </message>
        <message>
            <source>Branch or tag</source>
            <translation>Branche ou étiquette</translation>
        </message>
        <message>
            <source>default branch</source>
            <translation>branche par défaut</translation>
        </message>
        <message>
            <source>&amp;List</source>
            <translation>&amp;Lister</translation>
        </message>
        <message>
            <source>List the repository&apos;s branches and tags</source>
            <translation>Lister les branches et étiquettes du dépôt</translation>
        </message>
        <message>
            <source>&amp;Subfolder:</source>
            <translation>&amp;Sous-dossier :</translation>
        </message>
        <message>
            <source>optional: the context inside the repository</source>
            <translation>facultatif : le contexte à l’intérieur du dépôt</translation>
        </message>
        <message>
            <source>Subfolder</source>
            <translation>Sous-dossier</translation>
        </message>
        <message>
            <source>&amp;Dockerfile:</source>
            <translation>D&amp;ockerfile :</translation>
        </message>
        <message>
            <source>Dockerfile (relative to the context)</source>
            <translation>Dockerfile (relatif au contexte)</translation>
        </message>
        <message>
            <source>Dockerfile path</source>
            <translation>Chemin du Dockerfile</translation>
        </message>
        <message>
            <source>&amp;Tag:</source>
            <translation>É&amp;tiquette :</translation>
        </message>
        <message>
            <source>for example app:1 (optional)</source>
            <translation>par exemple app:1 (facultatif)</translation>
        </message>
        <message>
            <source>Tag</source>
            <translation>Étiquette</translation>
        </message>
        <message>
            <source>Build &amp;arguments:</source>
            <translation>&amp;Arguments de construction :</translation>
        </message>
        <message>
            <source>one KEY=VALUE per line</source>
            <translation>une CLÉ=VALEUR par ligne</translation>
        </message>
        <message>
            <source>Build arguments</source>
            <translation>Arguments de construction</translation>
        </message>
        <message>
            <source>Do not use the build cac&amp;he</source>
            <translation>Ne pas utiliser le cac&amp;he de construction</translation>
        </message>
        <message>
            <source>#</source>
            <translation>n°</translation>
        </message>
        <message>
            <source>Step</source>
            <translation>Étape</translation>
        </message>
        <message>
            <source>State</source>
            <translation>État</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Durée</translation>
        </message>
        <message>
            <source>Build steps</source>
            <translation>Étapes de construction</translation>
        </message>
        <message>
            <source>Build log</source>
            <translation>Journal de construction</translation>
        </message>
        <message>
            <source>B&amp;uild</source>
            <translation>C&amp;onstruire</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>&amp;Annuler</translation>
        </message>
        <message>
            <source>&amp;Close</source>
            <translation>&amp;Fermer</translation>
        </message>
        <message>
            <source>running</source>
            <translation>en cours</translation>
        </message>
        <message>
            <source>cached</source>
            <translation>en cache</translation>
        </message>
        <message>
            <source>done</source>
            <translation>terminé</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>échoué</translation>
        </message>
        <message>
            <source>cancelled</source>
            <translation>annulé</translation>
        </message>
        <message>
            <source>Listing the branches and tags of %1…</source>
            <translation>Liste des branches et étiquettes de %1…</translation>
        </message>
        <message>
            <source>Listing branches of %1</source>
            <translation>Liste des branches de %1</translation>
        </message>
        <message>
            <source>branch</source>
            <translation>branche</translation>
        </message>
        <message>
            <source>tag</source>
            <translation>étiquette</translation>
        </message>
        <message numerus="yes">
            <source>%n branch(es) and tag(s) found.</source>
            <translation>
                <numerusform>%n branche ou étiquette trouvée.</numerusform>
                <numerusform>%n branches et étiquettes trouvées.</numerusform>
            </translation>
        </message>
        <message>
            <source>The branches and tags of %1 could not be listed.</source>
            <translation>Les branches et étiquettes de %1 n’ont pas pu être listées.</translation>
        </message>
        <message>
            <source>&quot;%1&quot; is not a build argument. Write it as KEY=VALUE.</source>
            <translation>« %1 » n’est pas un argument de construction. Écrivez-le sous la forme CLÉ=VALEUR.</translation>
        </message>
        <message>
            <source>Building %1…</source>
            <translation>Construction de %1…</translation>
        </message>
        <message>
            <source>Building %1</source>
            <translation>Construction de %1</translation>
        </message>
        <message numerus="yes">
            <source>Built %1 in %n step(s), %2 from the cache.</source>
            <translation>
                <numerusform>%1 construite en %n étape, %2 depuis le cache.</numerusform>
                <numerusform>%1 construite en %n étapes, %2 depuis le cache.</numerusform>
            </translation>
        </message>
        <message>
            <source>The build was cancelled; nothing was tagged.</source>
            <translation>La construction a été annulée ; rien n’a été étiqueté.</translation>
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
            <translation>Créer…</translation>
        </message>
        <message>
            <source>Create a volume</source>
            <translation>Créer un volume</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Supprimer</translation>
        </message>
        <message>
            <source>Remove the selected volumes</source>
            <translation>Supprimer les volumes sélectionnés</translation>
        </message>
        <message>
            <source>Prune…</source>
            <translation>Nettoyer…</translation>
        </message>
        <message>
            <source>Remove volumes no container uses</source>
            <translation>Supprimer les volumes qu&apos;aucun conteneur n&apos;utilise</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Actualiser</translation>
        </message>
        <message>
            <source>Read the volume list again</source>
            <translation>Relire la liste des volumes</translation>
        </message>
        <message>
            <source>Filter volumes</source>
            <translation>Filtrer les volumes</translation>
        </message>
        <message>
            <source>No volumes yet.
Create one, or run a container with a volume (Run…, Ports, volumes and network).</source>
            <translation>Aucun volume pour l&apos;instant.
Créez-en un, ou lancez un conteneur avec un volume (Exécuter…, Ports, volumes et réseau).</translation>
        </message>
        <message>
            <source>Volume details</source>
            <translation>Détails du volume</translation>
        </message>
        <message>
            <source>Listing volumes</source>
            <translation>Lecture des volumes</translation>
        </message>
        <message>
            <source>The list of volumes could not be read.</source>
            <translation>La liste des volumes n&apos;a pas pu être lue.</translation>
        </message>
        <message>
            <source>No container uses this volume.</source>
            <translation>Aucun conteneur n&apos;utilise ce volume.</translation>
        </message>
        <message>
            <source>Used by: %1</source>
            <translation>Utilisé par : %1</translation>
        </message>
        <message>
            <source>Creating volume %1</source>
            <translation>Création du volume %1</translation>
        </message>
        <message>
            <source>(random name)</source>
            <translation>(nom aléatoire)</translation>
        </message>
        <message>
            <source>Volume %1 created.</source>
            <translation>Volume %1 créé.</translation>
        </message>
        <message>
            <source>The volume %1 could not be created.</source>
            <translation>Le volume %1 n&apos;a pas pu être créé.</translation>
        </message>
        <message>
            <source>Removing volume %1</source>
            <translation>Suppression du volume %1</translation>
        </message>
        <message>
            <source>The volume %1 could not be removed.</source>
            <translation>Le volume %1 n&apos;a pas pu être supprimé.</translation>
        </message>
        <message>
            <source>Pruning volumes</source>
            <translation>Nettoyage des volumes</translation>
        </message>
        <message>
            <source>The unused volumes could not be removed.</source>
            <translation>Les volumes inutilisés n&apos;ont pas pu être supprimés.</translation>
        </message>
        <message>
            <source>Create a Volume</source>
            <translation>Créer un volume</translation>
        </message>
        <message>
            <source>chosen at random when empty</source>
            <translation>choisi au hasard si vide</translation>
        </message>
        <message>
            <source>One key=value per line</source>
            <translation>Une clé=valeur par ligne</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Nom :</translation>
        </message>
        <message>
            <source>La&amp;bels:</source>
            <translation>Éti&amp;quettes :</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>C&amp;réer</translation>
        </message>
        <message>
            <source>Remove Volumes</source>
            <translation>Supprimer des volumes</translation>
        </message>
        <message>
            <source>Prune Volumes</source>
            <translation>Nettoyer les volumes</translation>
        </message>
        <message>
            <source>Remove the anonymous volumes that no container uses? Their data is deleted.</source>
            <translation>Supprimer les volumes anonymes qu&apos;aucun conteneur n&apos;utilise ? Leurs données seront effacées.</translation>
        </message>
        <message>
            <source>Also named volumes that no container uses</source>
            <translation>Aussi les volumes nommés qu&apos;aucun conteneur n&apos;utilise</translation>
        </message>
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
                <numerusform>%n inutilisé</numerusform>
                <numerusform>%n inutilisés</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s) selected</source>
            <translation>
                <numerusform>%n volume sélectionné</numerusform>
                <numerusform>%n volumes sélectionnés</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n volume(s) removed, %1 reclaimed.</source>
            <translation>
                <numerusform>%n volume supprimé, %1 libérés.</numerusform>
                <numerusform>%n volumes supprimés, %1 libérés.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n volume(s)? Their data is deleted.</source>
            <translation>
                <numerusform>Supprimer %n volume ? Ses données seront effacées.</numerusform>
                <numerusform>Supprimer %n volumes ? Leurs données seront effacées.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The volume %1 was not removed: %n container(s) use it: %2.</source>
            <translation>
                <numerusform>Le volume %1 n&apos;a pas été supprimé : %n conteneur l&apos;utilise : %2.</numerusform>
                <numerusform>Le volume %1 n&apos;a pas été supprimé : %n conteneurs l&apos;utilisent : %2.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::VolumesModel</name>
        <message>
            <source>unused</source>
            <translation>inutilisé</translation>
        </message>
        <message>
            <source>%1 (anonymous)</source>
            <translation>%1 (anonyme)</translation>
        </message>
        <message>
            <source>Volume</source>
            <translation>Volume</translation>
        </message>
        <message>
            <source>Driver</source>
            <translation>Pilote</translation>
        </message>
        <message>
            <source>Used by</source>
            <translation>Utilisé par</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Créé</translation>
        </message>
        <message>
            <source>Data folder</source>
            <translation>Dossier des données</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::NetworksPage</name>
        <message>
            <source>Networks</source>
            <translation>Réseaux</translation>
        </message>
        <message>
            <source>Create…</source>
            <translation>Créer…</translation>
        </message>
        <message>
            <source>Create a network</source>
            <translation>Créer un réseau</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Supprimer</translation>
        </message>
        <message>
            <source>Remove the selected networks</source>
            <translation>Supprimer les réseaux sélectionnés</translation>
        </message>
        <message>
            <source>Prune…</source>
            <translation>Nettoyer…</translation>
        </message>
        <message>
            <source>Remove networks no container uses</source>
            <translation>Supprimer les réseaux qu&apos;aucun conteneur n&apos;utilise</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Actualiser</translation>
        </message>
        <message>
            <source>Read the network list again</source>
            <translation>Relire la liste des réseaux</translation>
        </message>
        <message>
            <source>Filter networks</source>
            <translation>Filtrer les réseaux</translation>
        </message>
        <message>
            <source>Network details</source>
            <translation>Détails du réseau</translation>
        </message>
        <message>
            <source>Listing networks</source>
            <translation>Lecture des réseaux</translation>
        </message>
        <message>
            <source>The list of networks could not be read.</source>
            <translation>La liste des réseaux n&apos;a pas pu être lue.</translation>
        </message>
        <message>
            <source>No running container is attached.</source>
            <translation>Aucun conteneur en cours n&apos;y est connecté.</translation>
        </message>
        <message>
            <source>Attached containers:</source>
            <translation>Conteneurs connectés :</translation>
        </message>
        <message>
            <source>Creating network %1</source>
            <translation>Création du réseau %1</translation>
        </message>
        <message>
            <source>Network %1 created.</source>
            <translation>Réseau %1 créé.</translation>
        </message>
        <message>
            <source>The network %1 could not be created.</source>
            <translation>Le réseau %1 n&apos;a pas pu être créé.</translation>
        </message>
        <message>
            <source>Removing network %1</source>
            <translation>Suppression du réseau %1</translation>
        </message>
        <message>
            <source>The network %1 could not be removed.</source>
            <translation>Le réseau %1 n&apos;a pas pu être supprimé.</translation>
        </message>
        <message>
            <source>Pruning networks</source>
            <translation>Nettoyage des réseaux</translation>
        </message>
        <message>
            <source>The unused networks could not be removed.</source>
            <translation>Les réseaux inutilisés n&apos;ont pas pu être supprimés.</translation>
        </message>
        <message>
            <source>Remove Networks</source>
            <translation>Supprimer des réseaux</translation>
        </message>
        <message>
            <source>Prune Networks</source>
            <translation>Nettoyer les réseaux</translation>
        </message>
        <message>
            <source>Remove every user network that no container uses?</source>
            <translation>Supprimer tous les réseaux utilisateur qu&apos;aucun conteneur n&apos;utilise ?</translation>
        </message>
        <message numerus="yes">
            <source>%n network(s)</source>
            <translation>
                <numerusform>%n réseau</numerusform>
                <numerusform>%n réseaux</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n network(s) removed.</source>
            <translation>
                <numerusform>%n réseau supprimé.</numerusform>
                <numerusform>%n réseaux supprimés.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n network(s)?</source>
            <translation>
                <numerusform>Supprimer %n réseau ?</numerusform>
                <numerusform>Supprimer %n réseaux ?</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>berth::ui::NetworksModel</name>
        <message>
            <source>%1 (built in)</source>
            <translation>%1 (intégré)</translation>
        </message>
        <message>
            <source>%1, internal</source>
            <translation>%1, interne</translation>
        </message>
        <message>
            <source>none running</source>
            <translation>aucun en cours</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Réseau</translation>
        </message>
        <message>
            <source>Driver</source>
            <translation>Pilote</translation>
        </message>
        <message>
            <source>Subnet</source>
            <translation>Sous-réseau</translation>
        </message>
        <message>
            <source>Gateway</source>
            <translation>Passerelle</translation>
        </message>
        <message>
            <source>Containers (address)</source>
            <translation>Conteneurs (adresse)</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::RuntimeModeText</name>
        <message>
            <source>resource limits</source>
            <translation>limites de ressources</translation>
        </message>
        <message>
            <source>ports below 1024</source>
            <translation>ports inférieurs à 1024</translation>
        </message>
        <message>
            <source>ping</source>
            <translation>ping</translation>
        </message>
        <message>
            <source>network</source>
            <translation>réseau</translation>
        </message>
        <message>
            <source>other users in containers</source>
            <translation>autres utilisateurs dans les conteneurs</translation>
        </message>
        <message>
            <source>Root</source>
            <translation>Mode root</translation>
        </message>
        <message>
            <source>Rootless, single-id map</source>
            <translation>Sans root, un seul identifiant</translation>
        </message>
        <message>
            <source>Rootless</source>
            <translation>Sans root</translation>
        </message>
        <message>
            <source>%1 (no %2)</source>
            <translation>%1 (sans %2)</translation>
        </message>
        <message>
            <source>Rootless mode: containers run in a user namespace, as your user.</source>
            <translation>Mode sans root : les conteneurs tournent dans un espace de noms utilisateur, sous votre utilisateur.</translation>
        </message>
        <message>
            <source>Root mode: containers run with the host's root privileges.</source>
            <translation>Mode root : les conteneurs tournent avec les privilèges root de l'hôte.</translation>
        </message>
        <message numerus="yes">
            <source>%n feature(s) unavailable in this mode on this machine.</source>
            <translation>
                <numerusform>%n fonction n'est pas disponible dans ce mode sur cette machine.</numerusform>
                <numerusform>%n fonctions ne sont pas disponibles dans ce mode sur cette machine.</numerusform>
            </translation>
        </message>
        <message>
            <source>User ids inside → outside: %1</source>
            <translation>Identifiants utilisateur dedans → dehors : %1</translation>
        </message>
        <message>
            <source>Network: %1</source>
            <translation>Réseau : %1</translation>
        </message>
        <message>
            <source>Root file systems: %1</source>
            <translation>Systèmes de fichiers racine : %1</translation>
        </message>
        <message>
            <source>Control groups: %1</source>
            <translation>Groupes de contrôle : %1</translation>
        </message>
        <message>
            <source>%1: %2 (%3)</source>
            <translation>%1 : %2 (%3)</translation>
        </message>
        <message>
            <source>yes</source>
            <translation>oui</translation>
        </message>
        <message>
            <source>no</source>
            <translation>non</translation>
        </message>
        <message>
            <source>Warning: %1</source>
            <translation>Avertissement : %1</translation>
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
            <translation>%1 : %2</translation>
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
            <translation>Créer un réseau</translation>
        </message>
        <message>
            <source>e.g. 10.88.0.0/24; the next free one when empty</source>
            <translation>p. ex. 10.88.0.0/24 ; le prochain libre si vide</translation>
        </message>
        <message>
            <source>the subnet&apos;s first address when empty</source>
            <translation>la première adresse du sous-réseau si vide</translation>
        </message>
        <message>
            <source>Internal (no traffic leaves the network)</source>
            <translation>Interne (aucun trafic ne sort du réseau)</translation>
        </message>
        <message>
            <source>&amp;Name:</source>
            <translation>&amp;Nom :</translation>
        </message>
        <message>
            <source>&amp;Subnet:</source>
            <translation>&amp;Sous-réseau :</translation>
        </message>
        <message>
            <source>&amp;Gateway:</source>
            <translation>&amp;Passerelle :</translation>
        </message>
        <message>
            <source>C&amp;reate</source>
            <translation>C&amp;réer</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TerminalSession</name>
        <message>
            <source>%1: %2</source>
            <translation>%1 : %2</translation>
        </message>
    </context>
    <context>
        <name>berth::ui::TerminalTab</name>
        <message>
            <source>The command the terminal runs in the container</source>
            <translation>La commande que le terminal exécute dans le conteneur</translation>
        </message>
        <message>
            <source>Shell command</source>
            <translation>Commande du shell</translation>
        </message>
        <message>
            <source>Start Shell</source>
            <translation>Démarrer le shell</translation>
        </message>
        <message>
            <source>End Shell</source>
            <translation>Terminer le shell</translation>
        </message>
        <message>
            <source>The shell exited with code %1.</source>
            <translation>Le shell s&apos;est terminé avec le code %1.</translation>
        </message>
        <message>
            <source>The shell could not run: %1</source>
            <translation>Le shell n&apos;a pas pu s&apos;exécuter : %1</translation>
        </message>
        <message>
            <source>Select one running container to open a shell in it.</source>
            <translation>Sélectionnez un conteneur en cours d&apos;exécution pour y ouvrir un shell.</translation>
        </message>
        <message>
            <source>Shell in %1. Ctrl+Shift+C copies, Ctrl+Shift+V pastes, Shift+PageUp scrolls back.</source>
            <translation>Shell dans %1. Ctrl+Maj+C copie, Ctrl+Maj+V colle, Maj+Page préc. remonte dans l&apos;historique.</translation>
        </message>
        <message>
            <source>%1 is not running: start it to open a shell in it.</source>
            <translation>%1 n&apos;est pas en cours d&apos;exécution : démarrez-le pour y ouvrir un shell.</translation>
        </message>
        <message>
            <source>No shell open in %1.</source>
            <translation>Aucun shell ouvert dans %1.</translation>
        </message>
        <message>
            <source>Restart Shell</source>
            <translation>Redémarrer le shell</translation>
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
            <translation>Copier</translation>
        </message>
        <message>
            <source>Paste</source>
            <translation>Coller</translation>
        </message>
    </context>
</TS>
