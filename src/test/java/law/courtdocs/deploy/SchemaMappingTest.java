package law.courtdocs.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.type.descriptor.sql.spi.DdlTypeRegistry;
import org.junit.jupiter.api.Test;

/**
 * The entities and the Flyway migrations describe the same tables. Hibernate's own validation
 * (what dev mode runs after boot, and what {@code schema-management.strategy=validate} runs at
 * start) compares column types only; this also compares what Hibernate would have declared for
 * each mapped column, lengths included, with what the migrations made ({@code format_type}).
 */
@QuarkusTest
class SchemaMappingTest {

    @Inject
    EntityManager em;

    @Inject
    SessionFactory sessionFactory;

    @Test
    void hibernatesOwnValidationPassesOnTheMigratedSchema() {
        // throws SchemaManagementException naming the first mismatch
        sessionFactory.getSchemaManager().validateMappedObjects();
    }

    @Test
    @Transactional
    void everyMappedColumnHasTheTypeAndLengthOfItsMigration() {
        Map<String, String> declared = migratedColumns();
        SessionFactoryImplementor sf = sessionFactory.unwrap(SessionFactoryImplementor.class);
        DdlTypeRegistry ddl = sf.getTypeConfiguration().getDdlTypeRegistry();
        Map<String, String> expected = new TreeMap<>();
        sf.getMappingMetamodel().forEachEntityDescriptor(entity -> entity.forEachSelectable((i, column) -> {
            expected.put(column.getContainingTableExpression() + "." + column.getSelectionExpression(),
                    hibernateType(ddl, column));
        }));
        assertTrue(expected.size() > 50, "the metamodel was read: " + expected.size() + " columns");
        List<String> mismatches = new ArrayList<>();
        expected.forEach((column, type) -> {
            String actual = declared.get(column);
            if (actual == null) {
                mismatches.add(column + ": mapped, but no migration creates it");
            } else if (!normalise(type).equals(normalise(actual))) {
                mismatches.add(column + ": entity expects " + type + ", migration made " + actual);
            }
        });
        assertEquals(List.of(), mismatches);
    }

    private static String hibernateType(DdlTypeRegistry ddl, SelectableMapping column) {
        if (column.getColumnDefinition() != null) {
            return column.getColumnDefinition();
        }
        String type = ddl.getTypeName(column.getJdbcMapping().getJdbcType().getDdlTypeCode(), column.toSize());
        // a timestamp without an explicit precision gets PostgreSQL's default, 6
        return type.replace("$p", column.getTemporalPrecision() == null ? "6"
                : column.getTemporalPrecision().toString());
    }

    /** {@code table.column → format_type(…)} for the migrated schema (the connection's current one). */
    private Map<String, String> migratedColumns() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
                from pg_attribute a join pg_class c on c.oid = a.attrelid
                join pg_namespace n on n.oid = c.relnamespace
                where n.nspname = current_schema() and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
                """).getResultList();
        Map<String, String> columns = new TreeMap<>();
        for (Object[] row : rows) {
            columns.put(row[0] + "." + row[1], (String) row[2]);
        }
        return columns;
    }

    /** PostgreSQL's long names for what Hibernate writes short, and the default timestamp precision. */
    static String normalise(String type) {
        return type.toLowerCase(Locale.ROOT).trim()
                .replace("character varying", "varchar")
                .replaceAll("^character\\(", "char(")
                .replace("timestamp(6) with time zone", "timestamp with time zone")
                .replace("timestamptz", "timestamp with time zone")
                .replace("int4", "integer")
                .replace("int2", "smallint")
                .replace("int8", "bigint");
    }
}
