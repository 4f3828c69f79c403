package io.logexaminer.registry;

import java.util.Optional;

/** Where the login for a registry comes from: a Docker config file, ECR, or nowhere (anonymous). */
public interface CredentialSource {

    /** The login for {@code host} (as image references name it, such as {@code docker.io} or {@code 127.0.0.1:5000}). */
    Optional<Credentials> lookup(String host);

    /**
     * Called when {@code host} refused {@code refused}; true when a newer login is now available to try. A source
     * that cannot renew anything says false, so a refused login fails at once instead of looping.
     */
    default boolean renew(String host, Credentials refused) {
        return false;
    }

    CredentialSource ANONYMOUS = host -> Optional.empty();

    /** This source for the hosts it knows, {@code other} for the rest. */
    default CredentialSource orElse(CredentialSource other) {
        CredentialSource first = this;
        return new CredentialSource() {
            @Override
            public Optional<Credentials> lookup(String host) {
                Optional<Credentials> found = first.lookup(host);
                return found.isPresent() ? found : other.lookup(host);
            }

            @Override
            public boolean renew(String host, Credentials refused) {
                return first.lookup(host).isPresent() ? first.renew(host, refused) : other.renew(host, refused);
            }
        };
    }
}
